/** Online backups of a running node: RocksDB checkpoints asked for through the data directory. */
package dev.cairn.chain.backup;
