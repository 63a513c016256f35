package dev.trainyard.dataset.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects one class name per example and numbers the classes in natural order at the
 * end: numerically when every name is an integer ("2" before "10"), else by string order.
 */
final class LabelCollector {

    private final Map<String, Integer> ids = new HashMap<>();

    private final List<String> names = new ArrayList<>();

    private int[] labels = new int[1024];

    private int count;

    void add(String className) {
        Integer id = ids.get(className);
        if (id == null) {
            id = names.size();
            ids.put(className, id);
            names.add(className);
        }
        if (count == labels.length) {
            labels = Arrays.copyOf(labels, labels.length * 2);
        }
        labels[count++] = id;
    }

    int size() {
        return count;
    }

    int classCount() {
        return names.size();
    }

    ParsedDataset finish(int[] featureShape, FeatureEncoding encoding) {
        boolean numeric = names.stream().allMatch(n -> n.matches("[+-]?\\d{1,400}"));
        Comparator<String> order = numeric ? Comparator.comparing(BigInteger::new) : Comparator.naturalOrder();
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(order.thenComparing(Comparator.naturalOrder()));
        int[] rank = new int[names.size()];
        for (int i = 0; i < sorted.size(); i++) {
            rank[ids.get(sorted.get(i))] = i;
        }
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = rank[labels[i]];
        }
        return new ParsedDataset(featureShape, encoding, List.copyOf(sorted), out);
    }

}
