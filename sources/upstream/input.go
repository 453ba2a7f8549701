package upstream

// InputError is input refused before any upstream call, the same for every
// source: the field (as the client names it; the gateway may rename it to
// its argument), the business rule broken when one is named, and why.
// graph/errs reports it as BAD_USER_INPUT with extensions field and rule.
type InputError struct {
	Field, Rule, Message string
}

func (e *InputError) Error() string {
	if e.Field == "" {
		return e.Message
	}
	return e.Field + ": " + e.Message
}
