/**
 * The receiving end's shared parts: reading a push stream's wire format ({@link
 * dev.musicshare.reception.EventStreamReader}) and accounting for the chunks received ({@link
 * dev.musicshare.reception.SequenceTally}). The reference client, the load tool and the tests use them, so all three
 * read and count the same way; the server does not.
 */
package dev.musicshare.reception;
