package dev.trainyard.system;

import java.util.ArrayList;
import java.util.List;

/** A unified diff of two texts, line by line, for readable test failures. */
final class UnifiedDiff {

    private static final int CONTEXT = 3;

    private UnifiedDiff() {
    }

    static String of(String expectedName, String expected, String actualName, String actual) {
        List<String> a = expected.lines().toList();
        List<String> b = actual.lines().toList();
        List<String> ops = editScript(a, b);
        StringBuilder out = new StringBuilder("--- " + expectedName + "\n+++ " + actualName + "\n");
        int i = 0;
        while (i < ops.size()) {
            if (ops.get(i).charAt(0) == ' ') {
                i++;
                continue;
            }
            // a hunk: from CONTEXT lines before this change to CONTEXT lines after the
            // last change
            // that lies within 2 * CONTEXT unchanged lines of the one before it
            int start = Math.max(0, i - CONTEXT);
            int end = i;
            int unchanged = 0;
            for (int k = i; k < ops.size() && unchanged <= 2 * CONTEXT; k++) {
                if (ops.get(k).charAt(0) == ' ') {
                    unchanged++;
                }
                else {
                    unchanged = 0;
                    end = k;
                }
            }
            end = Math.min(ops.size() - 1, end + CONTEXT);
            int aLine = 1 + count(ops, 0, start, '+');
            int bLine = 1 + count(ops, 0, start, '-');
            out.append("@@ -")
                .append(aLine)
                .append(',')
                .append(end - start + 1 - count(ops, start, end + 1, '+'))
                .append(" +")
                .append(bLine)
                .append(',')
                .append(end - start + 1 - count(ops, start, end + 1, '-'))
                .append(" @@\n");
            for (int k = start; k <= end; k++) {
                out.append(ops.get(k)).append('\n');
            }
            i = end + 1;
        }
        return out.toString();
    }

    /**
     * Lines prefixed ' ', '-' or '+', from a longest common subsequence of the two lists.
     */
    private static List<String> editScript(List<String> a, List<String> b) {
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> ops = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                ops.add(" " + a.get(i++));
                j++;
            }
            else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
                ops.add("+" + b.get(j++));
            }
            else {
                ops.add("-" + a.get(i++));
            }
        }
        return ops;
    }

    private static int count(List<String> ops, int from, int to, char kind) {
        int n = 0;
        for (int k = from; k < to; k++) {
            if (ops.get(k).charAt(0) == kind) {
                n++;
            }
        }
        return n;
    }

}
