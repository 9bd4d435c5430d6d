# Its package lies under the bundle's root "system".
package system.main_test

test_main_follows_the_envoy_decision if {
	data.system.main == {"allowed": true} with data.envoy.authz.allowed as true
	data.system.main == {"allowed": false} with data.envoy.authz.allowed as false
}
