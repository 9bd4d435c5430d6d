# strings.replace_n: every placeholder of a message template replaced in one
# pass (the replacements are not scanned again).
package playground.replace

message := strings.replace_n(
	{"{user}": input.user, "{resource}": input.resource, "{action}": input.action},
	"{user} may not {action} {resource}",
)
