package fake

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"
)

// asOf is the date the generated data describes; fixed so the data does not
// depend on when the fake runs.
var asOf = time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)

// Diffusion channels as MMP numbers them (39 = SMS in the seed).
var (
	diffSMS   = Diffusion{ID: 39, Label: "SMS"}
	diffEmail = Diffusion{ID: 40, Label: "Email"}
	diffMail  = Diffusion{ID: 41, Label: "Courrier"}
)

var frenchMonths = []string{"Janvier", "Février", "Mars", "Avril", "Mai", "Juin", "Juillet", "Août",
	"Septembre", "Octobre", "Novembre", "Décembre"}

// store is the fake's data, built once from the seed.
type store struct {
	vehicles  map[string]*Vision360
	plates    []string
	pos       map[string]*pointOfSale
	blacklist []BlacklistEntry
}

type pointOfSale struct {
	header    CampaignHeader
	campaigns []*Campaign
	byID      map[int]*Campaign
}

type campaignDef struct {
	id       int
	label    string
	typ      string
	created  time.Time
	diffused time.Time
	predict  time.Time
}

type gen struct {
	r         *rand.Rand
	st        *store
	campaigns map[int][]campaignDef // by member id
	clientID  int
	invoiceID int
	invoiceNo int
}

type override struct {
	brand, model string
	member       *member
	civility     string
	first, last  string
}

func newStore(seed int64, vehicles int) *store {
	g := &gen{
		r:         rand.New(rand.NewPCG(uint64(seed), 0x6d6d70)),
		st:        &store{vehicles: map[string]*Vision360{}, pos: map[string]*pointOfSale{}},
		campaigns: map[int][]campaignDef{},
		clientID:  58_400_000,
		invoiceID: 35_200_000,
		invoiceNo: 41_000,
	}
	for i := range members {
		g.memberCampaigns(i)
	}
	g.seedExamples()
	h2n := &members[0]
	g.add("DEF123", override{brand: "Dacia", model: "SANDERO", member: h2n, civility: "Mme", first: "Christine", last: "Lefebvre"})
	g.add("AB123CD", override{brand: "Peugeot", model: "308", member: h2n, civility: "M.", first: "Julien", last: "Moreau"})
	g.fullVehicle()
	for len(g.st.plates) < vehicles+4 {
		p := g.sivPlate()
		if _, dup := g.st.vehicles[p]; dup {
			continue
		}
		g.add(p, override{})
	}
	for _, p := range g.st.pos {
		sort.SliceStable(p.campaigns, func(i, j int) bool {
			a, b := p.campaigns[i], p.campaigns[j]
			if !a.DiffusionDate.Equal(b.DiffusionDate.Time) {
				return a.DiffusionDate.After(b.DiffusionDate.Time)
			}
			return a.ID > b.ID
		})
	}
	return g.st
}

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func (g *gen) digits(n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(byte('0' + g.r.IntN(10)))
	}
	return b.String()
}

// sivPlate is a post-2009 plate, AB123CD (no I, O or U; no 000).
func (g *gen) sivPlate() string {
	const letters = "ABCDEFGHJKLMNPQRSTVWXYZ"
	l := func() byte { return letters[g.r.IntN(len(letters))] }
	return fmt.Sprintf("%c%c%03d%c%c", l(), l(), 1+g.r.IntN(999), l(), l())
}

func (g *gen) vin(wmi string) string {
	const chars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
	b := []byte(wmi)
	for len(b) < 17 {
		b = append(b, chars[g.r.IntN(len(chars))])
	}
	return string(b)
}

func (g *gen) pos(m *member) *pointOfSale {
	p := g.st.pos[m.pos]
	if p == nil {
		p = &pointOfSale{header: CampaignHeader{ID: m.headerID}, byID: map[int]*Campaign{}}
		g.st.pos[m.pos] = p
	}
	return p
}

// memberCampaigns plans ten campaigns per member between 2018 and 2025.
func (g *gen) memberCampaigns(idx int) {
	m := &members[idx]
	g.pos(m)
	start := time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)
	for k := range 10 {
		created := start.AddDate(0, k*8, g.r.IntN(25))
		diffused := created.AddDate(0, 0, 4+g.r.IntN(5))
		predict := time.Date(diffused.Year(), diffused.Month()+1, 1, 0, 0, 0, 0, time.UTC)
		typ := "predictive"
		if g.chance(0.3) {
			typ = "seasonal"
		}
		g.campaigns[m.id] = append(g.campaigns[m.id], campaignDef{
			id:       2000 + idx*20 + k,
			label:    frenchMonths[predict.Month()-1] + " " + strconv.Itoa(predict.Year()),
			typ:      typ,
			created:  created,
			diffused: time.Date(diffused.Year(), diffused.Month(), diffused.Day(), 9+g.r.IntN(9), g.r.IntN(60), g.r.IntN(60), 0, Paris),
			predict:  predict,
		})
	}
}

// campaignClient adds a reminded customer to a point of sale's campaign.
func (g *gen) campaignClient(m *member, def campaignDef, c CampaignClient) {
	p := g.pos(m)
	camp := p.byID[def.id]
	if camp == nil {
		camp = &Campaign{
			ID:             def.id,
			DiffusionDate:  newDate(def.diffused.Year(), def.diffused.Month(), def.diffused.Day()),
			PredictionDate: Date{Time: def.predict},
			CreationDate:   Date{Time: def.created},
			Clients:        []CampaignClient{},
		}
		p.byID[def.id] = camp
		p.campaigns = append(p.campaigns, camp)
	}
	camp.Clients = append(camp.Clients, c)
}

var unaccent = strings.NewReplacer("à", "a", "â", "a", "ç", "c", "é", "e", "è", "e", "ê", "e", "ë", "e",
	"î", "i", "ï", "i", "ô", "o", "ù", "u", "û", "u", "ü", "u")

// asciiLower is s as an e-mail local part: lower case, no accents.
func asciiLower(s string) string {
	var b strings.Builder
	for _, r := range unaccent.Replace(strings.ToLower(s)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '\'':
			b.WriteByte('-')
		}
	}
	return b.String()
}

func monthsBetween(a, b time.Time) float64 { return b.Sub(a).Hours() / 24 / 30.44 }

func round2(f float64) float64 { return math.Round(f*100) / 100 }

type person struct {
	treated Customer
	raw     RawCustomer
}

func (g *gen) person(m *member, ov override, company bool) person {
	female := g.chance(0.5)
	civ, rawCiv := "M.", "MR"
	first := g.pick(maleFirstNames)
	if female {
		civ, rawCiv, first = "Mme", "MME", g.pick(femaleFirstNames)
	}
	last := g.pick(lastNames)
	if ov.last != "" {
		civ, first, last = ov.civility, ov.first, ov.last
		if civ == "Mme" {
			rawCiv = "MME"
		}
	}
	city := cities[g.r.IntN(len(cities))]
	c := Customer{
		ClientID:        g.clientID,
		ClientDmsID:     strconv.Itoa(1000 + g.r.IntN(90000)),
		Civility:        civ,
		LastName:        strings.ToUpper(last),
		FirstName:       first,
		Address:         fmt.Sprintf("%d %s", 1+g.r.IntN(120), g.pick(streets)),
		PostalCode:      city.postalCode,
		City:            strings.ToUpper(city.name),
		MemberID:        m.id,
		MemberPoSCode:   m.pos,
		MemberTradeName: m.tradeName,
	}
	g.clientID += 1 + g.r.IntN(40)
	if company {
		c.Civility = ""
		c.CompanyName = fmt.Sprintf("%s %s %s", g.pick(companySuffixes), g.pick(companyNames), strings.ToUpper(last))
	}
	if g.chance(0.85) {
		local := asciiLower(first) + "." + asciiLower(last)
		if g.chance(0.3) {
			local = asciiLower(first)[:1] + "." + asciiLower(last) + g.digits(2)
		}
		c.Email = local + "@" + g.pick(emailDomains)
	}
	if g.chance(0.9) {
		c.Mobile = "0" + strconv.Itoa(6+g.r.IntN(2)) + g.digits(8)
	}
	if g.chance(0.3) {
		c.Phone = "0" + strconv.Itoa(1+g.r.IntN(5)) + g.digits(8)
	}
	c.ReminderSMS = c.Mobile != "" && g.chance(0.9)
	c.ReminderEmail = c.Email != "" && g.chance(0.85)
	c.ReminderMail = g.chance(0.5)
	var refused []string
	if c.Mobile != "" && !c.ReminderSMS {
		refused = append(refused, "telephone mobile")
	}
	if c.Phone != "" && g.chance(0.2) {
		refused = append(refused, "telephone professionnel")
	}
	if c.Email != "" && !c.ReminderEmail {
		refused = append(refused, "email")
	}
	c.Privacy = strings.Join(refused, " | ")
	raw := RawCustomer{
		WorkshopNationalID: m.siret,
		ClientDmsID:        c.ClientDmsID,
		Civility:           rawCiv,
		LastName:           c.LastName,
		FirstName:          strings.ToUpper(first),
		CompanyName:        c.CompanyName,
		Address:            strings.ToUpper(c.Address),
		PostalCode:         c.PostalCode,
		City:               c.City,
		Email:              c.Email,
		Mobile:             c.Mobile,
		Phone:              c.Phone,
	}
	if company {
		raw.Civility = ""
	}
	return person{treated: c, raw: raw}
}

// add generates one vehicle with its customers, history and reminders.
func (g *gen) add(plate string, ov override) {
	mod := models[g.r.IntN(len(models))]
	brand, model := mod.brand, mod.names[g.r.IntN(len(mod.names))]
	if ov.brand != "" {
		brand, model = ov.brand, ov.model
		for _, m := range models {
			if m.brand == brand {
				mod = m
			}
		}
	}
	m := &members[g.r.IntN(len(members))]
	if ov.member != nil {
		m = ov.member
	}
	vin := g.vin(mod.wmi)
	release := time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, g.r.IntN(19*365))
	monthly := 500 + 50*g.r.IntN(31)

	n := 1
	if x := g.r.Float64(); x > 0.9 {
		n = 3
	} else if x > 0.6 {
		n = 2
	}
	people := make([]person, n)
	for i := range people {
		o := override{}
		if i == 0 {
			o = ov
		}
		people[i] = g.person(m, o, i == 0 && ov.last == "" && g.chance(0.06))
	}

	v := &Vision360{
		RawCustomers:    []RawCustomer{},
		RawInvoiceLines: []RawInvoiceLine{},
		Customers:       []Customer{},
		Operations:      []Operation{},
		Forecasts:       []Forecast{},
		Invoices:        []Invoice{},
		Diagnostic:      json.RawMessage(`{}`),
		Reminders:       []Reminder{},
	}
	lastDone := map[int]Date{}
	mileage := 0
	visit := release.AddDate(0, 3+g.r.IntN(10), g.r.IntN(28))
	for visit.Before(asOf) && len(v.Invoices) < 10 {
		km := int(monthsBetween(release, visit) * float64(monthly) * (0.85 + 0.3*g.r.Float64()))
		mileage = max(mileage+150, km)
		if g.chance(0.85) {
			g.invoice(v, m, plate, vin, people[0].raw.ClientDmsID, Date{Time: visit}, mileage, lastDone)
		}
		visit = visit.AddDate(0, 6+g.r.IntN(13), g.r.IntN(28))
	}
	if len(v.Invoices) == 0 {
		d := asOf.AddDate(0, -2, 0)
		mileage = int(monthsBetween(release, d) * float64(monthly))
		g.invoice(v, m, plate, vin, people[0].raw.ClientDmsID, Date{Time: d}, mileage, lastDone)
	}
	last := v.Invoices[len(v.Invoices)-1]

	info := VehicleInfo{
		MonthlyMileageEstimated: monthly,
		ReleaseDate:             Date{Time: release},
		VIN:                     vin,
		LastVisitDate:           last.InvoiceDate,
		LastVisitMileage:        last.Mileage,
		CurrentMileageEstimated: last.Mileage + int(monthsBetween(last.InvoiceDate.Time, asOf)*float64(monthly)),
	}
	ct := release.AddDate(4, 0, 0)
	if ct.After(asOf) {
		info.NextTechnicalControlDate = Date{Time: ct}
	} else {
		for !ct.AddDate(2, 0, 0).After(asOf) {
			ct = ct.AddDate(2, 0, 0)
		}
		info.LastTechnicalControlDate = Date{Time: ct}
		info.NextTechnicalControlDate = Date{Time: ct.AddDate(2, 0, 0)}
	}
	v.VehicleInformations = info

	for i, p := range people {
		raw := p.raw
		raw.Plate = plate
		raw.VehicleBrand = strings.ToUpper(brand)
		raw.VehicleModel = model
		raw.VehicleReleaseDate = info.ReleaseDate
		if g.chance(0.7) {
			raw.VIN = vin
		}
		imported := v.Invoices[g.r.IntN(len(v.Invoices))]
		raw.VehicleLastVisitDate = imported.InvoiceDate
		raw.VehicleLastVisitMileage = imported.Mileage
		raw.VehicleLastTechnicalControlDate = info.LastTechnicalControlDate
		raw.VehicleNextTechnicalControlDate = info.NextTechnicalControlDate
		if g.chance(0.1) {
			raw.VehicleLastAntipollutionControlDate = info.LastTechnicalControlDate
			raw.VehicleNextAntipollutionControlDate = info.NextTechnicalControlDate
		}
		v.RawCustomers = append(v.RawCustomers, raw)
		v.Customers = append(v.Customers, p.treated)
		if i == 0 {
			g.reminders(v, m, release, plate, brand, model, p.treated)
		}
		if g.chance(0.04) {
			g.blacklist(p.treated, m)
		}
	}
	g.forecasts(v, release, monthly, last, lastDone)
	g.st.vehicles[plate] = v
	g.st.plates = append(g.st.plates, plate)
}

// invoice adds one workshop visit: a qualified invoice, its raw lines and
// the operations it records.
func (g *gen) invoice(v *Vision360, m *member, plate, vin, clientDms string, date Date, mileage int, lastDone map[int]Date) {
	var jobs []privateJob
	if g.chance(0.7) {
		jobs = append(jobs, privateJobs[0])
	}
	for range g.r.IntN(3) {
		j := privateJobs[1+g.r.IntN(len(privateJobs)-1)]
		dup := false
		for _, have := range jobs {
			dup = dup || have.id == j.id
		}
		if !dup {
			jobs = append(jobs, j)
		}
	}
	if len(jobs) == 0 {
		jobs = append(jobs, privateJobs[2+g.r.IntN(len(privateJobs)-2)])
	}
	inv := Invoice{
		InvoiceDmsID:    strconv.Itoa(g.invoiceNo),
		InvoiceDate:     date,
		Mileage:         mileage,
		MemberID:        m.id,
		MemberPoSCode:   m.pos,
		MemberTradeName: m.tradeName,
		Lines:           []InvoiceLine{},
	}
	g.invoiceNo += 1 + g.r.IntN(300)
	total := 0.0
	for _, j := range jobs {
		labor := InvoiceLine{PrivateJobID: j.id, PrivateJobLabel: j.label, PrivateUsedSource: "code operation",
			JobCode: j.jobCode, JobLabel: j.jobLabel}
		if j.id == 1 && g.chance(0.5) {
			labor.PackageCode, labor.PackageLabel = "FORF-VID", "Forfait Vidange"
		}
		inv.Lines = append(inv.Lines, labor)
		total += j.labor
		for _, p := range j.parts {
			inv.Lines = append(inv.Lines, InvoiceLine{PrivateJobID: j.id, PrivateJobLabel: j.label,
				PrivateUsedSource: "libelle piece", PartQuantity: p.quantity, PartReference: p.reference,
				PartBrand: p.brand, PartLabel: p.label})
			total += p.price * p.quantity
		}
		v.Operations = append(v.Operations, Operation{
			OperationDate: date, Mileage: mileage, PrivateJobID: j.id, PrivateJobLabel: j.label,
			PrivateUsedSource: "code operation", InvoiceDmsID: inv.InvoiceDmsID,
			MemberID: m.id, MemberPoSCode: m.pos, MemberTradeName: m.tradeName,
		})
		lastDone[j.id] = date
	}
	inv.InvoiceAmount = round2(total * 1.2)
	rawVIN := ""
	if g.chance(0.7) {
		rawVIN = vin
	}
	for _, l := range inv.Lines {
		v.RawInvoiceLines = append(v.RawInvoiceLines, RawInvoiceLine{
			WorkshopNationalID: m.siret, ClientDmsID: clientDms, InvoiceID: g.invoiceID,
			InvoiceDmsID: inv.InvoiceDmsID, InvoiceDate: date, InvoiceAmount: inv.InvoiceAmount,
			VIN: rawVIN, Mileage: mileage, Plate: plate,
			PackageCode: l.PackageCode, PackageLabel: l.PackageLabel, JobCode: l.JobCode, JobLabel: l.JobLabel,
			PartQuantity: l.PartQuantity, PartReference: l.PartReference, PartBrand: l.PartBrand, PartLabel: l.PartLabel,
		})
	}
	g.invoiceID += 1 + g.r.IntN(5000)
	if g.chance(0.15) {
		inv.Lines = []InvoiceLine{} // qualification found no job: the seed shows such invoices
	}
	v.Invoices = append(v.Invoices, inv)
}

func (g *gen) forecasts(v *Vision360, release time.Time, monthly int, last Invoice, lastDone map[int]Date) {
	for _, j := range privateJobs {
		done, ok := lastDone[j.id]
		if !ok && j.id != 1 && j.id != 4 && j.id != 14 {
			continue
		}
		from := release
		if ok {
			from = done.Time
		}
		f := Forecast{PrivateJobID: j.id, PrivateJobLabel: j.label, LastJobDate: done}
		if j.everyKm > 0 {
			f.MileageBasedEstimatedDate = Date{Time: firstOfMonth(from.AddDate(0, j.everyKm/monthly, 0))}
		}
		if j.everyMonths > 0 {
			f.PeriodicBasedEstimatedDate = Date{Time: firstOfMonth(from.AddDate(0, j.everyMonths, 0))}
		}
		if j.checkBased {
			f.CheckBasedEstimatedDate = Date{Time: firstOfMonth(last.InvoiceDate.AddDate(1, 0, 0))}
		}
		v.Forecasts = append(v.Forecasts, f)
	}
}

func firstOfMonth(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// reminders picks up to three of the member's campaigns that reached the
// customer, and lists the customer in those campaigns.
func (g *gen) reminders(v *Vision360, m *member, release time.Time, plate, brand, model string, c Customer) {
	var diffs []Diffusion
	if c.ReminderSMS {
		diffs = append(diffs, diffSMS)
	}
	if c.ReminderEmail {
		diffs = append(diffs, diffEmail)
	}
	if c.ReminderMail {
		diffs = append(diffs, diffMail)
	}
	if len(diffs) == 0 {
		return
	}
	for _, def := range g.campaigns[m.id] {
		if def.diffused.Before(release.AddDate(1, 0, 0)) || !g.chance(0.2) {
			continue
		}
		var job privateJob
		for job.campaignOffers == nil {
			job = privateJobs[g.r.IntN(len(privateJobs))]
		}
		offer := g.pick(job.campaignOffers)
		v.Reminders = append(v.Reminders, Reminder{
			CampaignID: def.id, CampaignLabel: def.label, CampaignType: def.typ,
			MemberID: m.id, MemberPoSCode: m.pos, MemberTradeName: m.tradeName,
			DiffusionDate: Date{Time: def.diffused},
			Diffusions:    diffs,
			Operations:    []ReminderOperation{{ID: job.id, Label: job.label, MessageDescription: offer}},
		})
		civ := "Mr"
		if c.Civility == "Mme" {
			civ = "Mme"
		}
		promo := Promotion{ID: 320 + job.id, Label: "Communication informative"}
		if strings.HasPrefix(offer, "-") {
			promo = Promotion{ID: 400 + job.id, Label: offer + " " + strings.ToLower(job.label)}
		}
		g.campaignClient(m, def, CampaignClient{
			Civility:   civ,
			LastName:   strings.ToUpper(c.LastName + " " + c.FirstName),
			Vehicle:    CampaignVehicle{Plate: plate, Brand: brand, Model: model},
			Operation:  CampaignOperation{ID: job.id, Label: job.label},
			Promotions: []Promotion{promo},
			Diffusion:  CampaignDiffusion{SMS: c.ReminderSMS, Email: c.ReminderEmail, Mail: c.ReminderMail},
		})
		if len(v.Reminders) == 3 {
			return
		}
	}
}

func (g *gen) blacklist(c Customer, m *member) {
	e := BlacklistEntry{
		ClientID: c.ClientID, FirstName: strings.ToUpper(c.FirstName), LastName: c.LastName,
		CompanyName: c.CompanyName, ReminderSMS: c.ReminderSMS, ReminderEmail: c.ReminderEmail,
		SyncDmsPhone: g.chance(0.6), SyncDmsEmail: g.chance(0.4), Privacy: c.Privacy,
		Mobile: c.Mobile, Email: c.Email, MemberShortName: m.shortName,
		PostalCode: c.PostalCode, MemberPoSCode: m.pos,
	}
	if e.Privacy == "" {
		e.Privacy = "email"
		e.ReminderEmail = false
	}
	g.st.blacklist = append(g.st.blacklist, e)
}
