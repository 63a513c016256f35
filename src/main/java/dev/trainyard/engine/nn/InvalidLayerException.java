package dev.trainyard.engine.nn;

/**
 * A layer that cannot be built, with what went wrong as data: the layer's position in its
 * model (-1 where the thrower does not know it), the parameter at fault (null for the
 * layer as a whole, e.g. a shape that does not fit its input) and the reason without any
 * position. Callers point at the fault from these fields, never from the message.
 */
public final class InvalidLayerException extends IllegalArgumentException {

    private final int layerIndex;

    private final String field;

    private final String reason;

    /** A parameter's fault, before the layer has a position. */
    public InvalidLayerException(String field, String reason) {
        this(reason, -1, field, reason, null);
    }

    public InvalidLayerException(String message, int layerIndex, String field, String reason, Throwable cause) {
        super(message, cause);
        this.layerIndex = layerIndex;
        this.field = field;
        this.reason = reason;
    }

    /**
     * The fault of {@code e} placed at layer {@code index}: {@code e}'s field and reason
     * where it is one of these, the whole layer and {@code e}'s message otherwise.
     */
    public static InvalidLayerException at(int index, String prefix, IllegalArgumentException e) {
        String field = e instanceof InvalidLayerException i ? i.field : null;
        String reason = e instanceof InvalidLayerException i ? i.reason : e.getMessage();
        return new InvalidLayerException(prefix + reason, index, field, reason, e);
    }

    public int layerIndex() {
        return layerIndex;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }

}
