package app

import "switchboard/graph/gateway"

// Examples are the operations GraphiQL opens as tabs, one or more per
// source. They are the README's cookbook: every operation of its "Example
// query" and "Query cookbook" sections is one of these (checked by
// e2e/examples_test.go, which also runs each in a fresh sandbox), and a few
// more that take variables or show less common fields.
var Examples = []gateway.Example{
	{Name: "Start here: a vehicle by plate", Query: `query VehicleByPlate {
  vehicle(plate: "AB-123-CD") {
    plate
    customers { lastName }
    invoices { date amount }
    forecasts { label }
  }
}
`},
	{Name: "MMP: a vehicle with its customers, invoices and forecasts (one vision360 call)", Query: `query Vehicle360 {
  vehicle(plate: "AB-123-CD") {
    plate vin releaseDate lastVisitDate lastVisitMileage
    customers { firstName lastName email mobile }
    invoices { date amount mileage lines { jobLabel partLabel quantity } }
    forecasts { label dueDate }
    reminders { label sentAt channels }
  }
}
`},
	{Name: "MMP: campaign customers of a point of sale", Query: `query CampaignCustomers($pos: String!) {
  campaignCustomers(pointOfSale: $pos, page: 1) {
    page lastPage total hasNextPage
    campaigns { id sentOn customers { lastName vehicle { plate make model } operation { label } channels { sms email } } }
  }
}
`, Variables: `{"pos": "920150"}`},
	{Name: "MMP: the e-mail/SMS blacklist", Query: `query Blacklist {
  blacklist(format: CSV) { customerId firstName lastName mobile email smsReminders emailReminders privacy }
}
`},
	{Name: "Shop: active interfaces and their prestations", Query: `query ActiveInterfaces {
  interfaces(status: ACTIVE) {
    key status createdAt url
    prestations { code orderedAt cancelled prestation { name price } }
  }
}
`},
	{Name: "Shop: the catalogue with associations", Query: `query Catalogue {
  prestations { code name price setup associated { code name } }
}
`},
	{Name: "Shop: order an interface (checked before Shop is called)", Query: `mutation OrderInterface($input: CreateInterfaceInput!) {
  createInterface(input: $input) { key interface { status formUrl } }
}
`, Variables: `{"input": {"guid": "demo-0001", "prestations": ["IN-ECO-S", "IN-ECO-AMM"], "client": {"company": "Garage Dupont", "email": "contact@garage-dupont.fr"}}}`},
	{Name: "MseM: push a customer", Query: `mutation PushCustomerToMsem {
  pushCustomerToMsem(customer: {id: "1581190", lastName: "Marcone", firstName: "Cédric", email: "cedric.marcone@valraiso.fr"}) {
    channel idempotencyKey operations { type customer { id firstName lastName email } }
  }
}
`},
	{Name: "Clavus: the folder columns of this Clavus", Query: `query FolderColumns {
  folderColumns { id label }
}
`},
	{Name: "Clavus: folders of a search, with every field (one getValuesByIds call)", Query: `query SearchFolders {
  folders(search: "sarl", perPage: 10,
      filter: [{column: "Puissance (kWc)", operator: ">=", value: "100"}],
      sort: [{column: "Date de création", direction: DESC}]) {
    totalCount
    results { id columns { name value } values { name label value } }
  }
}
`},
	{Name: "Clavus: teams and their users (one aliased getUsers call)", Query: `query TeamsAndUsers {
  teams { name color users { id firstName lastName email } }
}
`},
	{Name: "Clavus: create a prospect", Query: `mutation CreateProspect($input: ProspectInput!) {
  upsertProspect(input: $input) { id firstName lastName phone type powerKWc gps { lat lng } }
}
`, Variables: `{"input": {"firstName": "Jeanne", "lastName": "Martin", "email": "jeanne.martin@example.fr", "phone": "06 12 34 56 78", "type": "PHYSICAL", "powerKWc": 6.5, "priceHT": "12000.00", "gps": {"lat": "43.1167", "lng": "1.6103"}}}`},
	{Name: "Gravitel: live call events of user1 (the sandbox PBX rings user1 every 40 s)", Query: `subscription LiveCallEvents {
  callEvents(user: "user1") { callId type phone user at call { status events { type at } } }
}
`},
	{Name: "Gravitel: the call log of user1", Query: `query CallLog {
  calls(first: 10, user: "user1") {
    totalCount
    nodes { id direction phone user status durationSeconds recordingUrls startedAt }
    pageInfo { endCursor hasNextPage }
  }
}
`},
	{Name: "Gravitel: ring a customer (user first, then the phone)", Query: `mutation RingCustomer {
  makeCall(phone: "06 12 34 56 78", user: "user1") { phone user requestedAt }
}
`},
	{Name: "Cross-source: a vehicle's customers with their calls", Query: `query VehicleCustomersCalls {
  vehicle(plate: "AB-123-CD") {
    plate
    customers { firstName lastName mobile calls { direction status startedAt durationSeconds } }
  }
}
`},
	{Name: "Cross-source: who is calling from a number, and the PBX's accounts", Query: `query WhoIsCalling {
  contact(phone: "06 12 34 56 78") { name source responsible }
  pbxAccounts { name realName }
}
`},
	{Name: "Which sources are wired", Query: "query Sources {\n  sources { name configured sandbox }\n}\n"},
}
