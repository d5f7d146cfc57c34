/** JMH benchmarks for Cairn's hot paths; see docs/performance.md for the commands and the figures. */
package dev.cairn.bench;
