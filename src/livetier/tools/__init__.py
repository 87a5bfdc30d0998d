"""Tools beside the product: synthetic platforms (demos, tests, benches) and day partitions."""
