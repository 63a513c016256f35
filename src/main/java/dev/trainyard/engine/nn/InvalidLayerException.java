package dev.trainyard.engine.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * A layer that cannot be built, with what went wrong as data: the layer's position in its
 * model (-1 where the thrower does not know it), the parameter at fault (null for the
 * layer as a whole, e.g. a shape that does not fit its input), the path to the fault
 * inside the layer and the reason without any position. Callers point at the fault from
 * these fields, never from the message.
 */
public final class InvalidLayerException extends IllegalArgumentException {

    private final int layerIndex;

    private final List<Object> path;

    private final String reason;

    /** A parameter's fault, before the layer has a position. */
    public InvalidLayerException(String field, String reason) {
        this(reason, -1, field, reason, null);
    }

    public InvalidLayerException(String message, int layerIndex, String field, String reason, Throwable cause) {
        this(message, layerIndex, field == null ? List.of() : List.of(field), reason, cause);
    }

    private InvalidLayerException(String message, int layerIndex, List<Object> path, String reason, Throwable cause) {
        super(message, cause);
        this.layerIndex = layerIndex;
        this.path = List.copyOf(path);
        this.reason = reason;
    }

    /**
     * The fault of {@code e} placed at layer {@code index}: {@code e}'s path and reason
     * where it is one of these, the whole layer and {@code e}'s message otherwise.
     */
    public static InvalidLayerException at(int index, String prefix, IllegalArgumentException e) {
        List<Object> path = e instanceof InvalidLayerException i ? i.path : List.of();
        String reason = e instanceof InvalidLayerException i ? i.reason : e.getMessage();
        return new InvalidLayerException(prefix + reason, index, path, reason, e);
    }

    /**
     * The fault {@code e} of sub-layer {@code index} in the list parameter {@code field}
     * (a residual's {@code layers}), as a fault of the enclosing layer: its path is
     * {@code field, index} followed by {@code e}'s.
     */
    public static InvalidLayerException within(String field, int index, IllegalArgumentException e) {
        List<Object> path = new ArrayList<>(List.of(field, index));
        String reason = e.getMessage();
        if (e instanceof InvalidLayerException i) {
            path.addAll(i.path);
            reason = i.reason;
        }
        reason = field + "[" + index + "]: " + reason;
        return new InvalidLayerException(reason, -1, path, reason, e);
    }

    public int layerIndex() {
        return layerIndex;
    }

    /** The parameter at fault, the first member of {@link #path()}; null for none. */
    public String field() {
        return path.isEmpty() ? null : (String) path.getFirst();
    }

    /**
     * The JSON Pointer tokens of the fault inside the layer: {@code filters}, or
     * {@code layers, 0, filters} for a residual's first sub-layer; empty for the whole
     * layer.
     */
    public List<Object> path() {
        return path;
    }

    public String reason() {
        return reason;
    }

}
