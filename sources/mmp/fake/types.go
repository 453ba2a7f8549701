package fake

import (
	"encoding/json"
	"time"

	"switchboard/sources/internal/clock"
)

// The fake's own JSON shapes, written from the seed document (it shares
// nothing with the client). The `doc` tag is the field's name in the
// document's reading; where the seed cuts a sample off, `alt` is the name
// (and ",string": a number sent as a string) of the other plausible reading,
// served with Options.Reading = OtherReading. Option null0 writes a zero
// value as null, as MMP does for unknown ids and names.

// Paris is the zone of MMP's datetimes ("2020-11-18 11:26:01").
var Paris = clock.Paris

// Date is a date ("2006-01-02") or, when its clock is not midnight, a Paris
// datetime ("2006-01-02 15:04:05"); the zero Date is null.
type Date struct{ time.Time }

// MarshalJSON implements json.Marshaler.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	if h, m, s := d.Clock(); h == 0 && m == 0 && s == 0 {
		return json.Marshal(d.Format("2006-01-02"))
	}
	return json.Marshal(d.In(Paris).Format("2006-01-02 15:04:05"))
}

// VehicleInfo is vision360's vehicleInformations.
type VehicleInfo struct {
	MonthlyMileageEstimated  int    `doc:"monthlyMilageEstimated"`
	ReleaseDate              Date   `doc:"vehicleReleaseDate"`
	VIN                      string `doc:"vehicleVariante" alt:"vehicleVIN"` // the seed shows a VIN in this field
	LastVisitDate            Date   `doc:"vehicleLastVisitDate"`
	LastVisitMileage         int    `doc:"vehicleLastVisitMileage"`
	CurrentMileageEstimated  int    `doc:"vehicleCurrentMilageEstimated"`
	LastTechnicalControlDate Date   `doc:"vehicleLastTechnicalControlDate"`
	NextTechnicalControlDate Date   `doc:"vehicleNextTechnicalControlDate"`
}

// RawCustomer is one line of import-client (vision360 clientList): a
// customer as imported from a member's files, untreated, with the vehicle
// fields of that import line.
type RawCustomer struct {
	WorkshopNationalID                  string `doc:"workshopNationalId"` // SIRET of the member's workshop
	ClientDmsID                         string `doc:"clientDmsId"`
	Civility                            string `doc:"clientCivilite" alt:"clientCivility"`
	LastName                            string `doc:"clientNom" alt:"clientLastName"`
	FirstName                           string `doc:"clientPrenom" alt:"clientFirstName"`
	CompanyName                         string `doc:"clientRaisonSociale,null0" alt:"clientCompanyName"`
	Address                             string `doc:"clientAdresse" alt:"clientAddress"`
	PostalCode                          string `doc:"clientCodePostal" alt:"clientPostalCode"`
	City                                string `doc:"clientVille" alt:"clientCity"`
	Email                               string `doc:"clientEmail,null0"`
	Mobile                              string `doc:"clientPortable,null0" alt:"clientMobile"`
	Phone                               string `doc:"clientTelephone,null0" alt:"clientPhone"`
	Plate                               string `doc:"vehicleRegistrationPlate" alt:"vehiclePlate"`
	VehicleBrand                        string `doc:"vehicleBrand" alt:"vehicleMake"`
	VehicleModel                        string `doc:"vehicleModel"`
	VehicleReleaseDate                  Date   `doc:"vehicleReleaseDate"`
	VIN                                 string `doc:"vehicleVIN,null0"`
	VehicleLastVisitDate                Date   `doc:"vehicleLastVisitDate"`
	VehicleLastVisitMileage             int    `doc:"vehicleLastVisitMileage"`
	VehicleLastTechnicalControlDate     Date   `doc:"vehicleLastTechnicalControlDate"`
	VehicleNextTechnicalControlDate     Date   `doc:"vehicleNextTechnicalControlDate"`
	VehicleLastAntipollutionControlDate Date   `doc:"vehicleLastAntipollutionControlDate"`
	VehicleNextAntipollutionControlDate Date   `doc:"vehicleNextAntipollutionControlDate"`
}

// Customer is one entry of client (vision360 relanceClientList): a customer
// attached to the vehicle after MMP's treatment, with their reminder consent.
type Customer struct {
	ClientID        int    `doc:"clientId" alt:"clientId,string"`
	ClientDmsID     string `doc:"clientDmsId"`
	Civility        string `doc:"clientCivilite" alt:"clientCivility"`
	LastName        string `doc:"clientNom" alt:"clientLastName"`
	FirstName       string `doc:"clientPrenom" alt:"clientFirstName"`
	CompanyName     string `doc:"clientRaisonSociale,null0" alt:"clientCompanyName"`
	Address         string `doc:"clientAdresse" alt:"clientAddress"`
	PostalCode      string `doc:"clientCodePostal" alt:"clientPostalCode"`
	City            string `doc:"clientVille" alt:"clientCity"`
	Email           string `doc:"clientEmail,null0"`
	Mobile          string `doc:"clientPortable,null0" alt:"clientMobile"`
	Phone           string `doc:"clientTelephone,null0" alt:"clientPhone"`
	ReminderSMS     bool   `doc:"relanceSms"`
	ReminderEmail   bool   `doc:"relanceEmail"`
	ReminderMail    bool   `doc:"relanceCourrier" alt:"reminderMail"`
	Privacy         string `doc:"viePrivee"` // channels the customer refused, "telephone mobile | email"
	MemberID        int    `doc:"memberId,null0" alt:"adherentId"`
	MemberPoSCode   string `doc:"memberPoSCode,null0" alt:"adherentCodePdv"`
	MemberTradeName string `doc:"memberTradeName,null0" alt:"adherentNomCourt"`
}

// Operation is one entry of historiques (vision360 vehiculeHistoriqueList):
// a job done on the vehicle.
type Operation struct {
	OperationDate     Date   `doc:"operationDate" alt:"date"`
	Mileage           int    `doc:"vehicleMileage" alt:"operationMileage,string"`
	PrivateJobID      int    `doc:"privateJobId"`
	PrivateJobLabel   string `doc:"privateJobLabel"`
	PrivateUsedSource string `doc:"privateUsedSource"` // how the job was recognised: "libelle piece", "code operation"...
	InvoiceDmsID      string `doc:"invoiceDmsId"`
	MemberID          int    `doc:"memberId,null0"`
	MemberPoSCode     string `doc:"memberPoSCode,null0"`
	MemberTradeName   string `doc:"memberTradeName,null0"`
}

// Forecast is one entry of previsions (vision360 vehiculePrevisionList).
type Forecast struct {
	PrivateJobID               int             `doc:"privateJobId"`
	PrivateJobLabel            string          `doc:"privateJobLabel"`
	LastJobDate                Date            `doc:"lastJobDate"`
	MileageBasedEstimatedDate  Date            `doc:"milageBasedEstimatedDate"`
	PeriodicBasedEstimatedDate Date            `doc:"periodicBasedEstimatedDate"`
	CheckBasedEstimatedDate    Date            `doc:"checkBasedEstimatedDate"`
	ForecastInformations       json.RawMessage `doc:"forecastInformations"` // shape undocumented; null in every example
}

// RawInvoiceLine is one line of import-factures (vision360
// importFactureList): untreated, one line per invoiced item, each repeating
// its invoice's header.
type RawInvoiceLine struct {
	WorkshopNationalID string  `doc:"workshopNationalId"`
	ClientDmsID        string  `doc:"clientDmsId"`
	InvoiceID          int     `doc:"invoiceId"`
	InvoiceDmsID       string  `doc:"invoiceDmsId"`
	InvoiceDate        Date    `doc:"invoiceDate"`
	InvoiceAmount      float64 `doc:"invoiceAmount"`
	VIN                string  `doc:"vehicleVIN,null0"`
	Mileage            int     `doc:"vehicleMileage"`
	Plate              string  `doc:"vehicleRegistrationPlate"`
	PackageCode        string  `doc:"packageCode"`
	PackageLabel       string  `doc:"packageLabel"`
	JobCode            string  `doc:"jobCode"`
	JobLabel           string  `doc:"jobLabel"`
	PartQuantity       float64 `doc:"partQuantity"`
	PartReference      string  `doc:"partReference"`
	PartBrand          string  `doc:"partBrand"`
	PartLabel          string  `doc:"partLabel"`
}

// Invoice is one entry of factures (vision360 vehiculeFactureList): a
// qualified invoice with its lines.
type Invoice struct {
	InvoiceDmsID    string        `doc:"invoiceDmsId"`
	InvoiceDate     Date          `doc:"invoiceDate"`
	InvoiceAmount   float64       `doc:"invoiceAmount"`
	Mileage         int           `doc:"mileageOnInvoice"`
	MemberID        int           `doc:"memberId,null0"`
	MemberPoSCode   string        `doc:"memberPoSCode,null0"`
	MemberTradeName string        `doc:"memberTradeName,null0"`
	Lines           []InvoiceLine `doc:"invoiceContent"`
}

// InvoiceLine is one entry of an invoice's invoiceContent: a job (jobCode,
// jobLabel, packageCode...) or a part (partReference, partBrand...).
type InvoiceLine struct {
	PrivateJobID      int     `doc:"privateJobId"`
	PrivateJobLabel   string  `doc:"privateJobLabel"`
	PrivateUsedSource string  `doc:"privateUsedSource"`
	PackageCode       string  `doc:"packageCode"`
	PackageLabel      string  `doc:"packageLabel"`
	JobCode           string  `doc:"jobCode"`
	JobLabel          string  `doc:"jobLabel"`
	PartQuantity      float64 `doc:"partQuantity"`
	PartReference     string  `doc:"partReference"`
	PartBrand         string  `doc:"partBrand"`
	PartLabel         string  `doc:"partLabel"`
}

// Reminder is one entry of relances (vision360 vehiculeRelanceList): a
// marketing campaign that reminded the vehicle's owner.
type Reminder struct {
	CampaignID      int                 `doc:"campaignId"`
	CampaignLabel   string              `doc:"campaignlabel" alt:"campaignLabel"`
	CampaignType    string              `doc:"campaignType"` // "predictive", "seasonal"...
	MemberID        int                 `doc:"memberId,null0"`
	MemberPoSCode   string              `doc:"memberPoSCode,null0"`
	MemberTradeName string              `doc:"memberTradeName,null0"`
	DiffusionDate   Date                `doc:"campaignDiffusionDate"`
	Diffusions      []Diffusion         `doc:"diffusionList"`
	Operations      []ReminderOperation `doc:"operationList"`
	ClientDmsID     string              `doc:"clientDmsId,null0"`
}

// Diffusion is a channel a campaign went out on.
type Diffusion struct {
	ID    int    `doc:"diffusionId"`
	Label string `doc:"diffusionLabel"` // "SMS", "Email", "Courrier"
}

// ReminderOperation is a job a campaign promoted.
type ReminderOperation struct {
	ID                 int    `doc:"operationId"`
	Label              string `doc:"operationLabel"`
	MessageDescription string `doc:"messageDescription"` // the offer, e.g. "-10%"
}

// Vision360 is the data of vision360: everything above in one call.
type Vision360 struct {
	VehicleInformations VehicleInfo      `doc:"vehicleInformations"`
	RawCustomers        []RawCustomer    `doc:"clientList"`
	RawInvoiceLines     []RawInvoiceLine `doc:"importFactureList"`
	Customers           []Customer       `doc:"relanceClientList"`
	Operations          []Operation      `doc:"vehiculeHistoriqueList"`
	Forecasts           []Forecast       `doc:"vehiculePrevisionList"`
	Invoices            []Invoice        `doc:"vehiculeFactureList"`
	Diagnostic          json.RawMessage  `doc:"vehiculeDiagnostic"` // no documented service; kept raw
	Reminders           []Reminder       `doc:"vehiculeRelanceList"`
}

// CampaignHeader is the data object of campagnes-clients.
type CampaignHeader struct {
	ID           int    `doc:"id" alt:"id,string"`
	ArticleCode  string `doc:"articleCode,null0"`
	ArticleLabel string `doc:"articleLibelle,null0" alt:"articleLabel"`
}

// Campaign is one entry of campagnes-clients' campagneList.
type Campaign struct {
	ID             int              `doc:"id"`
	DiffusionDate  Date             `doc:"dateDiffusion"`
	PredictionDate Date             `doc:"datePrediction"`
	CreationDate   Date             `doc:"dateCreation"`
	Clients        []CampaignClient `doc:"clientList"`
}

// CampaignClient is a customer a campaign reminded.
type CampaignClient struct {
	Civility   string            `doc:"civilite"`
	FirstName  string            `doc:"prenom,null0"`
	LastName   string            `doc:"nom"` // often "NOM PRENOM" with prenom null
	Vehicle    CampaignVehicle   `doc:"vehicule"`
	Operation  CampaignOperation `doc:"operation"`
	Promotions []Promotion       `doc:"promotion"`
	Diffusion  CampaignDiffusion `doc:"diffusion"`
}

// CampaignVehicle is the vehicle a campaign client was reminded about.
type CampaignVehicle struct {
	Plate string `doc:"immatriculation"`
	Brand string `doc:"marque"`
	Model string `doc:"modele"`
}

// CampaignOperation is the job a campaign client was reminded of.
type CampaignOperation struct {
	ID    int    `doc:"id"`
	Label string `doc:"label"`
}

// Promotion is an offer attached to a campaign client.
type Promotion struct {
	ID    int    `doc:"id"`
	Label string `doc:"label"`
}

// CampaignDiffusion says on which channels a campaign client was reached.
type CampaignDiffusion struct {
	SMS   bool `doc:"sms"`
	Email bool `doc:"email"`
	Mail  bool `doc:"courrier"`
}

// Pagination is a paging block of campagnes-clients. The seed shows none;
// only the other reading sends one.
type Pagination struct {
	CurrentPage int `doc:"currentPage"`
	LastPage    int `doc:"lastPage"`
	PerPage     int `doc:"perPage"`
	Total       int `doc:"total"`
}

// BlacklistEntry is one customer of the network's email/SMS blacklist.
type BlacklistEntry struct {
	ClientID        int    `doc:"clientId"`
	FirstName       string `doc:"clientPrenom"`
	LastName        string `doc:"clientNom"`
	CompanyName     string `doc:"clientRaisonSociale"`
	ReminderSMS     bool   `doc:"relanceSms"`
	ReminderEmail   bool   `doc:"relanceEmail"`
	SyncDmsPhone    bool   `doc:"synchroDmsTelephone"`
	SyncDmsEmail    bool   `doc:"synchroDmsEmail"`
	Privacy         string `doc:"viePrivee"`
	Mobile          string `doc:"clientPortable"`
	Email           string `doc:"clientEmail"`
	MemberShortName string `doc:"adherentNomCourt"`
	PostalCode      string `doc:"clientCodePostal"`
	MemberPoSCode   string `doc:"adherentCodePdv"`
}

// blacklistColumns are the CSV columns of the blacklist (output=csv): the
// JSON field names, in this order.
var blacklistColumns = []string{
	"clientId", "clientPrenom", "clientNom", "clientRaisonSociale",
	"relanceSms", "relanceEmail", "synchroDmsTelephone", "synchroDmsEmail",
	"viePrivee", "clientPortable", "clientEmail", "adherentNomCourt",
	"clientCodePostal", "adherentCodePdv",
}

// UploadResult is the data of clients-factures.
type UploadResult struct {
	Success bool   `doc:"success"`
	Message string `doc:"message"`
}

// TokenRequest is the token endpoint's JSON body as the seed shows it.
type TokenRequest struct {
	GrantType    string `json:"grant_type"`
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	Username     string `json:"username"`
	Password     string `json:"password"`
}

// TokenError is the token endpoint's (and a refused bearer's) error body.
type TokenError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	Message          string `json:"message"`
}

func newDate(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }
