package dev.trainyard.dataset;

import java.io.IOException;
import java.io.InputStream;

/** One file part of a dataset upload; {@link #open()} may be called more than once. */
public interface UploadPart {

    /** The multipart name: {@code file}, {@code images} or {@code labels}. */
    String name();

    /** The client's file name, or null. */
    String filename();

    long size();

    InputStream open() throws IOException;

}
