package dev.cairn.rpc.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.model.AccountActivity;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.RecordChange;
import dev.cairn.ledger.model.TxParty;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.rpc.ChainEvents;
import dev.cairn.rpc.ChainView;
import dev.cairn.ledger.model.IncludedTransaction;
import dev.cairn.rpc.jsonrpc.Json;
import dev.cairn.rpc.methods.JsonShapes;
import dev.cairn.rpc.ws.Subscription.Topic;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * All live subscriptions of all connections, and the fan-out of finalized blocks to them. {@link
 * #onBlockFinalized} runs on the node's thread: it only serializes and queues (each connection's queue is
 * bounded), never waits on a client.
 */
final class SubscriptionHub {
  static final String NOTIFICATION_METHOD = "cairn_subscription";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ChainView chain;
  private final Set<Subscription> newHeads = ConcurrentHashMap.newKeySet();
  private final Map<Topic.TxFinalized, Set<Subscription>> txWatches = new ConcurrentHashMap<>();
  private final Map<Topic.Account, Set<Subscription>> accountWatches = new ConcurrentHashMap<>();
  private final Map<Topic.Record, Set<Subscription>> recordWatches = new ConcurrentHashMap<>();

  SubscriptionHub(ChainView chain) {
    this.chain = chain;
  }

  void add(Subscription subscription) {
    switch (subscription.topic()) {
      case Topic.NewHeads n -> newHeads.add(subscription);
      case Topic.TxFinalized t -> watch(txWatches, t, subscription);
      case Topic.Account a -> watch(accountWatches, a, subscription);
      case Topic.Record r -> watch(recordWatches, r, subscription);
    }
  }

  void remove(Subscription subscription) {
    switch (subscription.topic()) {
      case Topic.NewHeads n -> newHeads.remove(subscription);
      case Topic.TxFinalized t -> unwatch(txWatches, t, subscription);
      case Topic.Account a -> unwatch(accountWatches, a, subscription);
      case Topic.Record r -> unwatch(recordWatches, r, subscription);
    }
  }

  private static <T extends Topic> void watch(Map<T, Set<Subscription>> watches, T topic, Subscription subscription) {
    watches.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).add(subscription);
  }

  private static <T extends Topic> void unwatch(Map<T, Set<Subscription>> watches, T topic, Subscription subscription) {
    watches.computeIfPresent(topic, (t, set) -> {
      set.remove(subscription);
      return set.isEmpty() ? null : set;
    });
  }

  /** Once a subscribe answer is queued: a watched tx that is already final is notified now. */
  void afterArmed(Subscription subscription) {
    if (subscription.topic() instanceof Topic.TxFinalized tx) {
      chain.transaction(tx.txId()).ifPresent(included -> deliver(subscription, included));
    }
  }

  void onBlockFinalized(ChainEvents.BlockFinalized event) {
    Block block = event.block().block();
    if (!newHeads.isEmpty()) {
      JsonNode header = JsonShapes.header(block.header());
      for (Subscription sub : newHeads) {
        if (sub.isArmed()) {
          sub.connection().send(notification(sub.id(), header));
        }
      }
    }
    if (!accountWatches.isEmpty() || !recordWatches.isEmpty()) {
      notifyHistory(event);
    }
    if (txWatches.isEmpty()) {
      return;
    }
    List<Transaction> txs = block.transactions();
    for (int i = 0; i < txs.size(); i++) {
      Set<Subscription> watches = txWatches.get(new Topic.TxFinalized(txs.get(i).id()));
      if (watches == null) {
        continue;
      }
      IncludedTransaction included = new IncludedTransaction(txs.get(i), event.receipts().get(i), block.height(), block.hash(), i);
      for (Subscription watch : watches) {
        // Unarmed watches are skipped: arming looks the tx up in the chain, which already holds this block.
        if (watch.isArmed()) {
          deliver(watch, included);
        }
      }
    }
  }

  /**
   * Account and record watchers: one notification per finalized transaction touching the account, one per
   * successful put of the record, in chain order. Each connection's queue bounds what waits for it.
   */
  private void notifyHistory(ChainEvents.BlockFinalized event) {
    Block block = event.block().block();
    long timestamp = block.header().timestampMillis();
    List<Transaction> txs = block.transactions();
    for (int i = 0; i < txs.size(); i++) {
      Transaction tx = txs.get(i);
      IncludedTransaction included = null;
      if (!accountWatches.isEmpty()) {
        for (Map.Entry<Address, Set<TxParty>> party : TxParty.of(tx).entrySet()) {
          Set<Subscription> watches = accountWatches.get(new Topic.Account(party.getKey()));
          if (watches == null) {
            continue;
          }
          included = included != null ? included
              : new IncludedTransaction(tx, event.receipts().get(i), block.height(), block.hash(), i);
          ObjectNode activity = JsonShapes.activity(new AccountActivity(included, timestamp, party.getValue()));
          activity.put("address", party.getKey().toText());
          sendToArmed(watches, activity);
        }
      }
      if (!recordWatches.isEmpty() && tx.payload() instanceof Payload.RecordPut put && event.receipts().get(i).isSuccess()) {
        Topic.Record record = new Topic.Record(tx.senderAddress(), put.key());
        Set<Subscription> watches = recordWatches.get(record);
        if (watches != null) {
          included = included != null ? included
              : new IncludedTransaction(tx, event.receipts().get(i), block.height(), block.hash(), i);
          ObjectNode change = JsonShapes.recordChange(new RecordChange(included, timestamp));
          change.put("owner", record.owner().toText()).put("key", record.key());
          sendToArmed(watches, change);
        }
      }
    }
  }

  private static void sendToArmed(Set<Subscription> watches, JsonNode result) {
    for (Subscription sub : watches) {
      if (sub.isArmed()) {
        sub.connection().send(notification(sub.id(), result));
      }
    }
  }

  private void deliver(Subscription watch, IncludedTransaction included) {
    if (!watch.claimDelivery()) {
      return;
    }
    watch.connection().send(notification(watch.id(), JsonShapes.receipt(included)));
    watch.connection().remove(watch.id());
    remove(watch);
  }

  static String notification(String subscriptionId, JsonNode result) {
    ObjectNode params = NODES.objectNode().put("subscription", subscriptionId);
    params.set("result", result);
    ObjectNode message = NODES.objectNode().put("jsonrpc", "2.0").put("method", NOTIFICATION_METHOD);
    message.set("params", params);
    try {
      return Json.MAPPER.writeValueAsString(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree built here must serialize", e);
    }
  }

  int newHeadsCount() {
    return newHeads.size();
  }

  int txWatchCount() {
    return txWatches.values().stream().mapToInt(Set::size).sum();
  }

  int historyWatchCount() {
    return accountWatches.values().stream().mapToInt(Set::size).sum()
        + recordWatches.values().stream().mapToInt(Set::size).sum();
  }

}
