package dev.musicshare.limits;

/** One limit's token buckets by key (a client address, a session id), each taken from one token at a time. */
public interface KeyedBuckets {

    /**
     * Takes a token from {@code key}'s bucket.
     *
     * @return 0 when a token was taken; else the nanoseconds until one will be there (nothing was taken)
     */
    long take(String key);

    /**
     * Whether {@code key}'s bucket has no token left, without taking one. Buckets shared through Redis may answer
     * false without asking Redis for a key this node has not {@linkplain #spend spent} from within the bucket's
     * refill time: a client that never spent (a lookup that never missed) then costs Redis nothing, at the price of
     * one extra request per node before the shared verdict applies there too.
     */
    boolean isEmpty(String key);

    /** Spends a token if there is one (an event that counts against the allowance, such as a lookup that missed). */
    void spend(String key);
}
