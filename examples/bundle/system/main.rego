# The default decision of `POST /`: the request body is the input.
package system

main := {"allowed": data.envoy.authz.allowed}
