/** Block archives: the versioned export file of finalized blocks with their certificates, and its import. */
package dev.cairn.chain.archive;
