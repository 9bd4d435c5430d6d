# The entries older than one week before a fixed reference time. A fixed
# reference (not time.now_ns()) keeps the answer the same on every run.
package playground.timewindow

reference := "2020-04-01T12:00:00Z"

week_ns := ((7 * 24) * 3600) * 1000000000

cutoff_ns := time.parse_rfc3339_ns(reference) - week_ns

stale contains entry.id if {
	some entry in input.entries
	time.parse_rfc3339_ns(entry.timestamp) < cutoff_ns
}
