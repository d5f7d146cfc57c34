package dev.cairn.genesis.network;

import dev.cairn.ledger.crypto.PublicKey;
import java.math.BigInteger;

/**
 * The libp2p peer ID of an Ed25519 key, in its usual base58btc text form ({@code 12D3KooW...}), as the
 * libp2p peer-id specification defines it: the key's protobuf encoding (field 1 = key type 1 for Ed25519,
 * field 2 = the 32 key bytes) wrapped in an identity multihash. Config files name bootnodes and observers by
 * it.
 */
public final class PeerId {
  private static final String BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  private static final BigInteger FIFTY_EIGHT = BigInteger.valueOf(58);

  private PeerId() {}

  public static String of(PublicKey key) {
    byte[] multihash = new byte[2 + 4 + PublicKey.SIZE];
    multihash[0] = 0x00; // identity hash function
    multihash[1] = 4 + PublicKey.SIZE; // digest length
    multihash[2] = 0x08; // field 1 (Type), varint
    multihash[3] = 0x01; // KeyType Ed25519
    multihash[4] = 0x12; // field 2 (Data), length-delimited
    multihash[5] = PublicKey.SIZE;
    System.arraycopy(key.bytes().unsafeArray(), 0, multihash, 6, PublicKey.SIZE);
    return base58(multihash);
  }

  static String base58(byte[] data) {
    StringBuilder out = new StringBuilder();
    BigInteger value = new BigInteger(1, data);
    while (value.signum() > 0) {
      BigInteger[] qr = value.divideAndRemainder(FIFTY_EIGHT);
      out.append(BASE58.charAt(qr[1].intValue()));
      value = qr[0];
    }
    // Each leading zero byte is written as a leading '1'.
    for (int i = 0; i < data.length && data[i] == 0; i++) {
      out.append('1');
    }
    return out.reverse().toString();
  }
}
