package cn.bazhong.credit.gateway.lists;

/**
 * The subjects a fill of the list view has written so far, as a Bloom filter: {@link #mayHave} never answers no for a
 * subject that was {@link #add added}, and answers yes for a few others (about 1 in 10,000 at a million subjects,
 * 1 in 20 at ten million), which then merely take the slower, merging way into the view ({@link ListView#loadAll}).
 * Its 8 MB are taken at the first subject and dropped with the fill; an exact set of a million keys would hold a
 * hundred times that while the view itself is being filled. (No Bloom filter in the gateway's libraries; Guava's
 * would be a dependency for these few lines.)
 */
final class SubjectsMet {

    /** 2^26 bits. */
    private static final int BITS_LOG2 = 26;
    private static final int MASK = (1 << BITS_LOG2) - 1;
    private static final int PROBES = 3;

    private long[] bits;

    boolean mayHave(String subjectKey) {
        if (bits == null) {
            return false;
        }
        long h = hash(subjectKey);
        for (int i = 0; i < PROBES; i++) {
            int bit = probe(h, i);
            if ((bits[bit >>> 6] & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    void add(String subjectKey) {
        if (bits == null) {
            bits = new long[1 << (BITS_LOG2 - 6)];
        }
        long h = hash(subjectKey);
        for (int i = 0; i < PROBES; i++) {
            int bit = probe(h, i);
            bits[bit >>> 6] |= 1L << bit;
        }
    }

    /** The i-th bit a key sets: two halves of its hash combined (Kirsch and Mitzenmacher's double hashing). */
    private static int probe(long hash, int i) {
        return ((int) hash + i * ((int) (hash >>> 32) | 1)) & MASK;
    }

    /** FNV-1a over the key's chars, then MurmurHash3's finalizer, so that similar keys spread over all 64 bits. */
    private static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
