# crypto.x509.parse_certificates: the subject and validity of each
# certificate of a PEM chain.
package playground.certificates

certificates := [summary |
	some cert in crypto.x509.parse_certificates(input.chain)
	summary := {
		"subject": cert.Subject.CommonName,
		"issuer": cert.Issuer.CommonName,
		"is_ca": cert.IsCA,
		"not_before": cert.NotBefore,
		"not_after": cert.NotAfter,
	}
]
