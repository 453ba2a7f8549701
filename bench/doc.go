// Package bench holds the load scenarios (`make bench`, writing
// bench/results.md) and the micro-benchmarks of the gateway's hot paths;
// fakes/ and peers/ are its commands.
package bench
