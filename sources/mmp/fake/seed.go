package fake

import (
	"encoding/json"
	"time"
)

func d(y int, m time.Month, day int) Date { return newDate(y, m, day) }

func dt(y int, m time.Month, day, h, mi, s int) Date {
	return Date{Time: time.Date(y, m, day, h, mi, s, 0, Paris)}
}

// seedExamples adds the seed document's own examples: vehicle ABC123 (its
// vision360 block, invoices 24177, 26187 and 40475, the "Filtre à air"
// forecast, campaigns 455 and 468), campaigns 1469 and 1465 of point of sale
// 920150 (DUPONT, LEFEBVRE) and the two blacklist entries. Parts the seed
// truncates are filled in the same style.
func (g *gen) seedExamples() {
	h2n := &members[0]
	const plate, vin = "ABC123", "VF7RDRFJC9L554165"
	dupont := Customer{
		ClientID: 58440117, ClientDmsID: "5678", Civility: "M.", LastName: "DUPONT", FirstName: "Phillipe",
		Address: "12 rue de la République", PostalCode: "92150", City: "SURESNES",
		Email: "p.dupont@mail.fr", Mobile: "0612345678", ReminderSMS: true, ReminderMail: true,
		Privacy: "email", MemberID: h2n.id, MemberPoSCode: h2n.pos, MemberTradeName: h2n.tradeName,
	}
	raw := RawCustomer{
		WorkshopNationalID: h2n.siret, ClientDmsID: "5678", Civility: "MR", LastName: "DUPONT", FirstName: "PHILLIPE",
		Address: "12 RUE DE LA REPUBLIQUE", PostalCode: "92150", City: "SURESNES",
		Email: "p.dupont@mail.fr", Mobile: "0612345678", Plate: plate, VehicleBrand: "RENAULT", VehicleModel: "MEGANE",
		VehicleReleaseDate: d(2009, 9, 30), VehicleLastVisitDate: d(2015, 3, 12), VehicleLastVisitMileage: 52032,
	}
	line := func(job privateJob, source string) InvoiceLine {
		return InvoiceLine{PrivateJobID: job.id, PrivateJobLabel: job.label, PrivateUsedSource: source}
	}
	revision := line(privateJobs[0], "code operation")
	revision.JobCode, revision.JobLabel, revision.PartQuantity = "M1", "- Revision - Operations Systematiques - 93820000", 1.4
	brakeFluid := line(privateJobs[4], "code operation")
	brakeFluid.JobCode, brakeFluid.JobLabel = "C", "Remplacement Du Liquide De Freins"
	airFilter := line(privateJobs[2], "libelle piece")
	airFilter.PartQuantity, airFilter.PartReference, airFilter.PartBrand, airFilter.PartLabel = 1, "1444TT", "CITROEN", "FILTRE A AIR"
	pads := line(privateJobs[6], "libelle piece")
	pads.PartQuantity, pads.PartReference, pads.PartBrand, pads.PartLabel = 1, "425405", "CITROEN", "JEU 4 PLAQ"
	oil := line(privateJobs[0], "code operation")
	oil.JobCode, oil.JobLabel = "V", "Vidange Moteur + Remplacement Filtre A Huile"

	invoices := []Invoice{
		{InvoiceDmsID: "24177", InvoiceDate: d(2011, 9, 26), InvoiceAmount: 181.6, Mileage: 11001, Lines: []InvoiceLine{}},
		{InvoiceDmsID: "26187", InvoiceDate: d(2012, 6, 20), InvoiceAmount: 297.79, Mileage: 20544, Lines: []InvoiceLine{revision}},
		{InvoiceDmsID: "31022", InvoiceDate: d(2016, 2, 23), InvoiceAmount: 412.5, Mileage: 61230, Lines: []InvoiceLine{brakeFluid, airFilter}},
		{InvoiceDmsID: "40475", InvoiceDate: d(2020, 1, 30), InvoiceAmount: 932.87, Mileage: 96753, Lines: []InvoiceLine{pads}},
		{InvoiceDmsID: "41190", InvoiceDate: d(2020, 9, 1), InvoiceAmount: 89.9, Mileage: 96753, Lines: []InvoiceLine{oil},
			MemberID: h2n.id, MemberPoSCode: h2n.pos, MemberTradeName: h2n.tradeName},
	}
	v := &Vision360{
		VehicleInformations: VehicleInfo{
			MonthlyMileageEstimated: 1100, ReleaseDate: d(2009, 9, 30), VIN: vin,
			LastVisitDate: d(2020, 9, 1), LastVisitMileage: 96753, CurrentMileageEstimated: 0,
			LastTechnicalControlDate: d(2017, 9, 30),
		},
		RawCustomers:    []RawCustomer{raw},
		RawInvoiceLines: []RawInvoiceLine{},
		Customers:       []Customer{dupont},
		Operations:      []Operation{},
		Invoices:        invoices,
		Diagnostic:      json.RawMessage(`{}`),
		Forecasts: []Forecast{
			{PrivateJobID: 1, PrivateJobLabel: "Vidange", LastJobDate: d(2020, 9, 1),
				MileageBasedEstimatedDate: d(2021, 10, 1), PeriodicBasedEstimatedDate: d(2021, 9, 1)},
			{PrivateJobID: 14, PrivateJobLabel: "Plaquettes de frein", LastJobDate: d(2020, 1, 30),
				MileageBasedEstimatedDate: d(2023, 2, 1), CheckBasedEstimatedDate: d(2021, 9, 1)},
			{PrivateJobID: 4, PrivateJobLabel: "Filtre à air", LastJobDate: d(2016, 2, 23),
				MileageBasedEstimatedDate: d(2032, 8, 1)},
		},
		Reminders: []Reminder{
			{CampaignID: 455, CampaignLabel: "Octobre 2016", CampaignType: "predictive",
				MemberID: h2n.id, MemberPoSCode: h2n.pos, MemberTradeName: h2n.tradeName,
				DiffusionDate: dt(2016, 10, 12, 10, 2, 44), Diffusions: []Diffusion{diffSMS},
				Operations: []ReminderOperation{{ID: 2, Label: "Bougies", MessageDescription: "-10%"}}},
			{CampaignID: 468, CampaignLabel: "Décembre 2016", CampaignType: "predictive",
				MemberID: h2n.id, MemberPoSCode: h2n.pos, MemberTradeName: h2n.tradeName,
				DiffusionDate: dt(2020, 11, 18, 11, 26, 1), Diffusions: []Diffusion{diffSMS},
				Operations: []ReminderOperation{{ID: 6, Label: "Filtre habitacle", MessageDescription: "-10%"}}},
		},
	}
	rawLine := func(inv Invoice, id int, l InvoiceLine) RawInvoiceLine {
		return RawInvoiceLine{
			WorkshopNationalID: h2n.siret, ClientDmsID: "5678", InvoiceID: id, InvoiceDmsID: inv.InvoiceDmsID,
			InvoiceDate: inv.InvoiceDate, InvoiceAmount: inv.InvoiceAmount, Mileage: inv.Mileage, Plate: plate,
			PackageCode: l.PackageCode, PackageLabel: l.PackageLabel, JobCode: l.JobCode, JobLabel: l.JobLabel,
			PartQuantity: l.PartQuantity, PartReference: l.PartReference, PartBrand: l.PartBrand, PartLabel: l.PartLabel,
		}
	}
	// The seed lists invoice 26187's revision line twice (two imports).
	v.RawInvoiceLines = append(v.RawInvoiceLines, rawLine(invoices[1], 35129724, revision), rawLine(invoices[1], 35129724, revision))
	for i, inv := range []Invoice{invoices[2], invoices[3], invoices[4]} {
		for _, l := range inv.Lines {
			v.RawInvoiceLines = append(v.RawInvoiceLines, rawLine(inv, 35129900+i*731, l))
		}
	}
	for _, inv := range invoices {
		for _, l := range inv.Lines {
			v.Operations = append(v.Operations, Operation{
				OperationDate: inv.InvoiceDate, Mileage: inv.Mileage, PrivateJobID: l.PrivateJobID,
				PrivateJobLabel: l.PrivateJobLabel, PrivateUsedSource: l.PrivateUsedSource, InvoiceDmsID: inv.InvoiceDmsID,
				MemberID: inv.MemberID, MemberPoSCode: inv.MemberPoSCode, MemberTradeName: inv.MemberTradeName,
			})
		}
	}
	g.st.vehicles[plate] = v
	g.st.plates = append(g.st.plates, plate)

	sms := CampaignDiffusion{SMS: true}
	g.campaignClient(h2n, campaignDef{id: 1469, created: time.Date(2021, 8, 11, 0, 0, 0, 0, time.UTC),
		diffused: time.Date(2021, 8, 17, 0, 0, 0, 0, time.UTC), predict: time.Date(2021, 9, 1, 0, 0, 0, 0, time.UTC)},
		CampaignClient{Civility: "Mr", LastName: "DUPONT PHILLIPE",
			Vehicle:    CampaignVehicle{Plate: "ABC123", Brand: "Renault", Model: "MEGANE"},
			Operation:  CampaignOperation{ID: 5, Label: "Plaquettes de freins AVANT"},
			Promotions: []Promotion{{ID: 323, Label: "Communication informative"}}, Diffusion: sms})
	g.campaignClient(h2n, campaignDef{id: 1469}, CampaignClient{Civility: "Mr", LastName: "LEFEBVRE CHRISTINE",
		Vehicle:    CampaignVehicle{Plate: "DEF123", Brand: "Dacia", Model: "SANDERO"},
		Operation:  CampaignOperation{ID: 8, Label: "Disques + Plaquettes ARRIERE"},
		Promotions: []Promotion{{ID: 327, Label: "Communication informative"}}, Diffusion: sms})
	g.campaignClient(h2n, campaignDef{id: 1465, created: time.Date(2021, 7, 6, 0, 0, 0, 0, time.UTC),
		diffused: time.Date(2021, 7, 13, 0, 0, 0, 0, time.UTC), predict: time.Date(2021, 8, 1, 0, 0, 0, 0, time.UTC)},
		CampaignClient{Civility: "Mr", LastName: "MOREAU JULIEN",
			Vehicle:    CampaignVehicle{Plate: "AB123CD", Brand: "Peugeot", Model: "308"},
			Operation:  CampaignOperation{ID: 1, Label: "Vidange + Filtre à huile"},
			Promotions: []Promotion{{ID: 321, Label: "-10% vidange"}}, Diffusion: CampaignDiffusion{SMS: true, Email: true}})

	g.st.blacklist = append(g.st.blacklist,
		BlacklistEntry{ClientID: 58445959, FirstName: "SOPHIE", LastName: "RICHARD", SyncDmsEmail: true,
			Privacy: "telephone mobile | telephone professionnel | email", Email: "s.richard@mail.fr",
			MemberShortName: "SAS GARAGE ", PostalCode: "55200", MemberPoSCode: "6768ZED"},
		BlacklistEntry{ClientID: 58445960, FirstName: "WILLIS", LastName: "EMMANUEL", ReminderSMS: true,
			SyncDmsPhone: true, Privacy: "telephone mobile | telephone professionnel | email",
			Mobile: "0630553444", Email: "w.emmanuel@mail.com", MemberShortName: "SAS GARAGE",
			PostalCode: "55200", MemberPoSCode: "417728CZ"},
	)
}

// FullPlate is a vehicle whose every documented field carries a value
// (forecastInformations aside: null in every example of the seed), so
// tests can check that no value MMP sends is lost.
const FullPlate = "FU360LL"

// fullVehicle adds FullPlate.
func (g *gen) fullVehicle() {
	m := &members[1]
	rel := newDate(2016, 4, 12)
	job := privateJobs[0]
	line := InvoiceLine{PrivateJobID: job.id, PrivateJobLabel: job.label, PrivateUsedSource: "code operation",
		PackageCode: "FORF-VID", PackageLabel: "Forfait Vidange", JobCode: job.jobCode, JobLabel: job.jobLabel,
		PartQuantity: 4.5, PartReference: "5W30-5L", PartBrand: "TOTAL", PartLabel: "HUILE QUARTZ 5W30"}
	inv := Invoice{InvoiceDmsID: "52210", InvoiceDate: newDate(2024, 3, 14), InvoiceAmount: 189.4, Mileage: 0,
		MemberID: m.id, MemberPoSCode: m.pos, MemberTradeName: m.tradeName, Lines: []InvoiceLine{line}}
	v := &Vision360{
		VehicleInformations: VehicleInfo{
			MonthlyMileageEstimated: 0, ReleaseDate: rel, VIN: "VF1RFB00X56789012", LastVisitDate: inv.InvoiceDate,
			LastVisitMileage: 0, CurrentMileageEstimated: 0,
			LastTechnicalControlDate: newDate(2024, 4, 2), NextTechnicalControlDate: newDate(2026, 4, 2),
		},
		RawCustomers: []RawCustomer{{
			WorkshopNationalID: m.siret, ClientDmsID: "9012", Civility: "MME", LastName: "NOEL", FirstName: "CLAIRE",
			CompanyName: "SARL TAXI NOEL", Address: "4 RUE CARNOT", PostalCode: "55200", City: "COMMERCY",
			Email: "c.noel@mail.fr", Mobile: "0611223344", Phone: "0329112233", Plate: FullPlate,
			VehicleBrand: "RENAULT", VehicleModel: "CLIO", VehicleReleaseDate: rel, VIN: "VF1RFB00X56789012",
			VehicleLastVisitDate: inv.InvoiceDate, VehicleLastVisitMileage: 0,
			VehicleLastTechnicalControlDate: newDate(2024, 4, 2), VehicleNextTechnicalControlDate: newDate(2026, 4, 2),
			VehicleLastAntipollutionControlDate: newDate(2024, 4, 2), VehicleNextAntipollutionControlDate: newDate(2025, 4, 2),
		}},
		RawInvoiceLines: []RawInvoiceLine{{
			WorkshopNationalID: m.siret, ClientDmsID: "9012", InvoiceID: 36001122, InvoiceDmsID: inv.InvoiceDmsID,
			InvoiceDate: inv.InvoiceDate, InvoiceAmount: inv.InvoiceAmount, VIN: "VF1RFB00X56789012", Mileage: 0,
			Plate: FullPlate, PackageCode: line.PackageCode, PackageLabel: line.PackageLabel, JobCode: line.JobCode,
			JobLabel: line.JobLabel, PartQuantity: line.PartQuantity, PartReference: line.PartReference,
			PartBrand: line.PartBrand, PartLabel: line.PartLabel,
		}},
		Customers: []Customer{{
			ClientID: 58449001, ClientDmsID: "9012", Civility: "Mme", LastName: "NOEL", FirstName: "Claire",
			CompanyName: "SARL TAXI NOEL", Address: "4 rue Carnot", PostalCode: "55200", City: "COMMERCY",
			Email: "c.noel@mail.fr", Mobile: "0611223344", Phone: "0329112233", ReminderSMS: true,
			ReminderEmail: false, ReminderMail: true, Privacy: "email",
			MemberID: m.id, MemberPoSCode: m.pos, MemberTradeName: m.tradeName,
		}},
		Operations: []Operation{{
			OperationDate: inv.InvoiceDate, Mileage: 0, PrivateJobID: job.id, PrivateJobLabel: job.label,
			PrivateUsedSource: "code operation", InvoiceDmsID: inv.InvoiceDmsID,
			MemberID: m.id, MemberPoSCode: m.pos, MemberTradeName: m.tradeName,
		}},
		Forecasts: []Forecast{{PrivateJobID: job.id, PrivateJobLabel: job.label, LastJobDate: inv.InvoiceDate,
			MileageBasedEstimatedDate: newDate(2025, 3, 1), PeriodicBasedEstimatedDate: newDate(2025, 3, 1),
			CheckBasedEstimatedDate: newDate(2025, 3, 1)}},
		Invoices:   []Invoice{inv},
		Diagnostic: json.RawMessage(`{"battery":"ok"}`),
		Reminders: []Reminder{{
			CampaignID: 2040, CampaignLabel: "Mars 2025", CampaignType: "predictive",
			MemberID: m.id, MemberPoSCode: m.pos, MemberTradeName: m.tradeName,
			DiffusionDate: dt(2025, 2, 20, 9, 30, 0), Diffusions: []Diffusion{diffSMS},
			Operations:  []ReminderOperation{{ID: job.id, Label: job.label, MessageDescription: "-10%"}},
			ClientDmsID: "9012",
		}},
	}
	g.st.vehicles[FullPlate] = v
	g.st.plates = append(g.st.plates, FullPlate)
}
