# Tests of the playground examples: `policyd test examples/playground`.
package playground_test

import data.playground.certificates
import data.playground.replace
import data.playground.timewindow

test_entries_older_than_a_week_are_stale if {
	timewindow.stale == {"a", "b"} with input as {"entries": [
		{"id": "a", "timestamp": "2020-03-01T08:00:00Z"},
		{"id": "b", "timestamp": "2020-03-25T11:59:59Z"},
		{"id": "c", "timestamp": "2020-03-25T12:00:00Z"},
		{"id": "d", "timestamp": "2020-03-31T23:00:00+02:00"},
	]}
}

test_placeholders_are_replaced_once if {
	replace.message == "alice may not delete {user}'s invoices" with input as {
		"user": "alice", "action": "delete", "resource": "{user}'s invoices",
	}
}

test_certificate_summaries if {
	certificates.certificates == [{
		"subject": "leaf", "issuer": "ca", "is_ca": false,
		"not_before": "2020-01-01T00:00:00Z", "not_after": "2021-01-01T00:00:00Z",
	}] with input as {"chain": "PEM"} with crypto.x509.parse_certificates as [{
		"Subject": {"CommonName": "leaf"}, "Issuer": {"CommonName": "ca"}, "IsCA": false,
		"NotBefore": "2020-01-01T00:00:00Z", "NotAfter": "2021-01-01T00:00:00Z",
	}]
}
