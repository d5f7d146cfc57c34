package dev.cairn.adversary;

import java.time.Duration;

/**
 * One named attack against a running network. Each attack is its own class holding its target and its
 * parameters; {@link #run} performs it for a duration (or until the calling thread is interrupted) and
 * reports what it did and what the target did back, as counters. docs/security.md names, for each attack,
 * the bound that stops it and the test that holds it.
 *
 * <p>More attacks join by adding a class to {@code permits} and a subcommand to {@link AdversaryCli}.
 */
public sealed interface Attack permits HandshakeFlood, OversizedFrames, NeverRead, RpcHugeResponses, WsCrossOrigin,
    ReplayFlood, ProposalEquivocation, LockLargeBlockThenSilent, TxFlood, ByzantineSnapshotPeer {
  /** The attack's name on the command line and in docs/security.md, e.g. {@code handshake-flood}. */
  String name();

  /** Attacks until {@code duration} has passed or the thread is interrupted; never throws for the target's answers. */
  AttackReport run(Duration duration) throws InterruptedException;
}
