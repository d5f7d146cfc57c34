/** The RocksDB chain store and state node store. */
package dev.cairn.ledger.store;
