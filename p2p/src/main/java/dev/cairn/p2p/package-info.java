/** libp2p on Netty: moves bytes on topics and streams between authenticated peers. */
package dev.cairn.p2p;
