package dev.trainyard.dataset.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** A class of a dataset: its name and how many examples carry it. */
@Embeddable
public record DatasetClass(String name, @Column(name = "example_count") int exampleCount) {
}
