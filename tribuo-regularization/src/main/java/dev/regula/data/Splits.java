package dev.regula.data;

import java.util.SplittableRandom;

/**
 * The stratified hold-out split used everywhere in Regula (the trainer's validation split and
 * {@code StratifiedSplitDataSource}), so that both draw the same way.
 */
public final class Splits {
    private Splits() {}

    /**
     * Marks {@code round(fraction × n_g)} random rows of every group g as held out. Groups are visited in id
     * order; the rows of a group, in row order, are shuffled by Fisher–Yates (from the last position down, each
     * swapped with {@code rng.nextInt(i + 1)}) and the first ones are held out. The draw depends only on the
     * group of each row and the random source.
     * @param group the group id of every row, in {@code [0, groups)}.
     * @param groups the number of groups.
     * @param fraction the fraction held out of each group, in [0, 1].
     * @param rng the random source.
     * @return for each row, whether it is held out.
     */
    public static boolean[] stratifiedHoldOut(int[] group, int groups, double fraction, SplittableRandom rng) {
        int[] count = new int[groups];
        for (int g : group) {
            count[g]++;
        }
        int[][] members = new int[groups][];
        for (int g = 0; g < groups; g++) {
            members[g] = new int[count[g]];
            count[g] = 0;
        }
        for (int i = 0; i < group.length; i++) {
            members[group[i]][count[group[i]]++] = i;
        }
        boolean[] held = new boolean[group.length];
        for (int[] rows : members) {
            shuffle(rows, rng);
            long k = Math.round(fraction * rows.length);
            for (int j = 0; j < k; j++) {
                held[rows[j]] = true;
            }
        }
        return held;
    }

    /**
     * Fisher–Yates shuffle in place: for i from the last index down to 1, swaps {@code a[i]} with
     * {@code a[rng.nextInt(i + 1)]}.
     * @param a the array.
     * @param rng the random source.
     */
    public static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
