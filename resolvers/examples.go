package resolvers

import "switchboard/graph/gateway"

// Examples are the operations GraphiQL opens as tabs, one or more per source.
var Examples = []gateway.Example{
	{Name: "MMP: a vehicle with its customers, invoices and forecasts (one vision360 call)", Query: `{
  vehicle(plate: "AB-123-CD") {
    plate vin releaseDate lastVisitDate lastVisitMileage
    customers { firstName lastName email mobile }
    invoices { date amount mileage lines { jobLabel partLabel quantity } }
    forecasts { label dueDate }
    reminders { label sentAt channels }
  }
}
`},
	{Name: "MMP: campaign customers of a point of sale", Query: `query ($pos: String!) {
  campaignCustomers(pointOfSale: $pos, page: 1) {
    page lastPage total hasNextPage
    campaigns { id sentOn customers { lastName vehicle { plate make model } operation { label } channels { sms email } } }
  }
}
`, Variables: `{"pos": "920150"}`},
	{Name: "MMP: the e-mail/SMS blacklist", Query: `{
  blacklist(format: CSV) { customerId firstName lastName mobile email smsReminders emailReminders privacy }
}
`},
	{Name: "Shop: active interfaces and their prestations", Query: `{
  interfaces(status: ACTIVE) {
    key status createdAt url
    prestations { code orderedAt cancelled prestation { name price } }
  }
}
`},
	{Name: "Shop: the catalogue with associations", Query: `{
  prestations { code name price setup associated { code name } }
}
`},
	{Name: "Shop: order an interface (checked before Shop is called)", Query: `mutation ($input: CreateInterfaceInput!) {
  createInterface(input: $input) { key interface { status formUrl } }
}
`, Variables: `{"input": {"guid": "demo-0001", "prestations": ["IN-ECO-S", "IN-ECO-AMM"], "client": {"company": "Garage Dupont", "email": "contact@garage-dupont.fr"}}}`},
	{Name: "MseM: push a customer", Query: `mutation {
  pushCustomerToMsem(customer: {id: "1581190", lastName: "Marcone", firstName: "Cédric", email: "cedric.marcone@valraiso.fr"}) {
    channel idempotencyKey operations { type customer { id firstName lastName email } }
  }
}
`},
	{Name: "Which sources are wired", Query: "{\n  sources { name configured sandbox }\n}\n"},
}
