// Package wire holds the JSON shapes of the MMP Vision 360 API, shared by the
// client (sources/mmp) and its fake. JSON names are the upstream's, typos
// included (campaignlabel, milageBasedEstimatedDate). A JSON null decodes as
// the zero value: "" for strings, 0 for ids and numbers, the zero Date.
package wire

import "encoding/json"

// PlateRequest is the body of every vehicle service.
type PlateRequest struct {
	Plate string `json:"immatriculation"`
}

// VehicleInfo is vision360's vehicleInformations.
type VehicleInfo struct {
	MonthlyMileageEstimated  int    `json:"monthlyMilageEstimated"`
	ReleaseDate              Date   `json:"vehicleReleaseDate"`
	VIN                      string `json:"vehicleVariante"` // the seed shows a VIN in this field
	LastVisitDate            Date   `json:"vehicleLastVisitDate"`
	LastVisitMileage         int    `json:"vehicleLastVisitMileage"`
	CurrentMileageEstimated  int    `json:"vehicleCurrentMilageEstimated"`
	LastTechnicalControlDate Date   `json:"vehicleLastTechnicalControlDate"`
	NextTechnicalControlDate Date   `json:"vehicleNextTechnicalControlDate"`
}

// RawCustomer is one line of import-client (vision360 clientList): a
// customer as imported from a member's files, untreated, with the vehicle
// fields of that import line.
type RawCustomer struct {
	WorkshopNationalID                  string `json:"workshopNationalId"` // SIRET of the member's workshop
	ClientDmsID                         string `json:"clientDmsId"`
	Civility                            string `json:"clientCivilite"`
	LastName                            string `json:"clientNom"`
	FirstName                           string `json:"clientPrenom"`
	CompanyName                         string `json:"clientRaisonSociale"`
	Address                             string `json:"clientAdresse"`
	PostalCode                          string `json:"clientCodePostal"`
	City                                string `json:"clientVille"`
	Email                               string `json:"clientEmail"`
	Mobile                              string `json:"clientPortable"`
	Phone                               string `json:"clientTelephone"`
	Plate                               string `json:"vehicleRegistrationPlate"`
	VehicleBrand                        string `json:"vehicleBrand"`
	VehicleModel                        string `json:"vehicleModel"`
	VehicleReleaseDate                  Date   `json:"vehicleReleaseDate"`
	VIN                                 string `json:"vehicleVIN"`
	VehicleLastVisitDate                Date   `json:"vehicleLastVisitDate"`
	VehicleLastVisitMileage             int    `json:"vehicleLastVisitMileage"`
	VehicleLastTechnicalControlDate     Date   `json:"vehicleLastTechnicalControlDate"`
	VehicleNextTechnicalControlDate     Date   `json:"vehicleNextTechnicalControlDate"`
	VehicleLastAntipollutionControlDate Date   `json:"vehicleLastAntipollutionControlDate"`
	VehicleNextAntipollutionControlDate Date   `json:"vehicleNextAntipollutionControlDate"`
}

// Customer is one entry of client (vision360 relanceClientList): a customer
// attached to the vehicle after MMP's treatment, with their reminder consent.
type Customer struct {
	ClientID        int    `json:"clientId"`
	ClientDmsID     string `json:"clientDmsId"`
	Civility        string `json:"clientCivilite"`
	LastName        string `json:"clientNom"`
	FirstName       string `json:"clientPrenom"`
	CompanyName     string `json:"clientRaisonSociale"`
	Address         string `json:"clientAdresse"`
	PostalCode      string `json:"clientCodePostal"`
	City            string `json:"clientVille"`
	Email           string `json:"clientEmail"`
	Mobile          string `json:"clientPortable"`
	Phone           string `json:"clientTelephone"`
	ReminderSMS     bool   `json:"relanceSms"`
	ReminderEmail   bool   `json:"relanceEmail"`
	ReminderMail    bool   `json:"relanceCourrier"`
	Privacy         string `json:"viePrivee"` // channels the customer refused, "telephone mobile | email"
	MemberID        int    `json:"memberId"`
	MemberPoSCode   string `json:"memberPoSCode"`
	MemberTradeName string `json:"memberTradeName"`
}

// Operation is one entry of historiques (vision360 vehiculeHistoriqueList):
// a job done on the vehicle.
type Operation struct {
	OperationDate     Date   `json:"operationDate"`
	Mileage           int    `json:"vehicleMileage"`
	PrivateJobID      int    `json:"privateJobId"`
	PrivateJobLabel   string `json:"privateJobLabel"`
	PrivateUsedSource string `json:"privateUsedSource"` // how the job was recognised: "libelle piece", "code operation"...
	InvoiceDmsID      string `json:"invoiceDmsId"`
	MemberID          int    `json:"memberId"`
	MemberPoSCode     string `json:"memberPoSCode"`
	MemberTradeName   string `json:"memberTradeName"`
}

// Forecast is one entry of previsions (vision360 vehiculePrevisionList).
type Forecast struct {
	PrivateJobID               int             `json:"privateJobId"`
	PrivateJobLabel            string          `json:"privateJobLabel"`
	LastJobDate                Date            `json:"lastJobDate"`
	MileageBasedEstimatedDate  Date            `json:"milageBasedEstimatedDate"`
	PeriodicBasedEstimatedDate Date            `json:"periodicBasedEstimatedDate"`
	CheckBasedEstimatedDate    Date            `json:"checkBasedEstimatedDate"`
	ForecastInformations       json.RawMessage `json:"forecastInformations"` // shape undocumented; null in every example
}

// RawInvoiceLine is one line of import-factures (vision360
// importFactureList): untreated, one line per invoiced item, each repeating
// its invoice's header.
type RawInvoiceLine struct {
	WorkshopNationalID string  `json:"workshopNationalId"`
	ClientDmsID        string  `json:"clientDmsId"`
	InvoiceID          int     `json:"invoiceId"`
	InvoiceDmsID       string  `json:"invoiceDmsId"`
	InvoiceDate        Date    `json:"invoiceDate"`
	InvoiceAmount      float64 `json:"invoiceAmount"`
	VIN                string  `json:"vehicleVIN"`
	Mileage            int     `json:"vehicleMileage"`
	Plate              string  `json:"vehicleRegistrationPlate"`
	PackageCode        string  `json:"packageCode"`
	PackageLabel       string  `json:"packageLabel"`
	JobCode            string  `json:"jobCode"`
	JobLabel           string  `json:"jobLabel"`
	PartQuantity       float64 `json:"partQuantity"`
	PartReference      string  `json:"partReference"`
	PartBrand          string  `json:"partBrand"`
	PartLabel          string  `json:"partLabel"`
}

// Invoice is one entry of factures (vision360 vehiculeFactureList): a
// qualified invoice with its lines.
type Invoice struct {
	InvoiceDmsID    string        `json:"invoiceDmsId"`
	InvoiceDate     Date          `json:"invoiceDate"`
	InvoiceAmount   float64       `json:"invoiceAmount"`
	Mileage         int           `json:"mileageOnInvoice"`
	MemberID        int           `json:"memberId"`
	MemberPoSCode   string        `json:"memberPoSCode"`
	MemberTradeName string        `json:"memberTradeName"`
	Lines           []InvoiceLine `json:"invoiceContent"`
}

// InvoiceLine is one entry of an invoice's invoiceContent: a job (jobCode,
// jobLabel, packageCode...) or a part (partReference, partBrand...).
type InvoiceLine struct {
	PrivateJobID      int     `json:"privateJobId"`
	PrivateJobLabel   string  `json:"privateJobLabel"`
	PrivateUsedSource string  `json:"privateUsedSource"`
	PackageCode       string  `json:"packageCode"`
	PackageLabel      string  `json:"packageLabel"`
	JobCode           string  `json:"jobCode"`
	JobLabel          string  `json:"jobLabel"`
	PartQuantity      float64 `json:"partQuantity"`
	PartReference     string  `json:"partReference"`
	PartBrand         string  `json:"partBrand"`
	PartLabel         string  `json:"partLabel"`
}

// Reminder is one entry of relances (vision360 vehiculeRelanceList): a
// marketing campaign that reminded the vehicle's owner.
type Reminder struct {
	CampaignID      int                 `json:"campaignId"`
	CampaignLabel   string              `json:"campaignlabel"`
	CampaignType    string              `json:"campaignType"` // "predictive", "seasonal"...
	MemberID        int                 `json:"memberId"`
	MemberPoSCode   string              `json:"memberPoSCode"`
	MemberTradeName string              `json:"memberTradeName"`
	DiffusionDate   Date                `json:"campaignDiffusionDate"`
	Diffusions      []Diffusion         `json:"diffusionList"`
	Operations      []ReminderOperation `json:"operationList"`
	ClientDmsID     string              `json:"clientDmsId"`
}

// Diffusion is a channel a campaign went out on.
type Diffusion struct {
	ID    int    `json:"diffusionId"`
	Label string `json:"diffusionLabel"` // "SMS", "Email", "Courrier"
}

// ReminderOperation is a job a campaign promoted.
type ReminderOperation struct {
	ID                 int    `json:"operationId"`
	Label              string `json:"operationLabel"`
	MessageDescription string `json:"messageDescription"` // the offer, e.g. "-10%"
}

// Vision360 is the data of vision360: everything above in one call.
type Vision360 struct {
	VehicleInformations VehicleInfo      `json:"vehicleInformations"`
	RawCustomers        []RawCustomer    `json:"clientList"`
	RawInvoiceLines     []RawInvoiceLine `json:"importFactureList"`
	Customers           []Customer       `json:"relanceClientList"`
	Operations          []Operation      `json:"vehiculeHistoriqueList"`
	Forecasts           []Forecast       `json:"vehiculePrevisionList"`
	Invoices            []Invoice        `json:"vehiculeFactureList"`
	Diagnostic          json.RawMessage  `json:"vehiculeDiagnostic"` // no documented service; kept raw
	Reminders           []Reminder       `json:"vehiculeRelanceList"`
}

// CampaignHeader is the data object of campagnes-clients.
type CampaignHeader struct {
	ID           int    `json:"id"`
	ArticleCode  string `json:"articleCode"`
	ArticleLabel string `json:"articleLibelle"`
}

// Campaign is one entry of campagnes-clients' campagneList.
type Campaign struct {
	ID             int              `json:"id"`
	DiffusionDate  Date             `json:"dateDiffusion"`
	PredictionDate Date             `json:"datePrediction"`
	CreationDate   Date             `json:"dateCreation"`
	Clients        []CampaignClient `json:"clientList"`
}

// CampaignClient is a customer a campaign reminded.
type CampaignClient struct {
	Civility   string            `json:"civilite"`
	FirstName  string            `json:"prenom"`
	LastName   string            `json:"nom"` // often "NOM PRENOM" with prenom null
	Vehicle    CampaignVehicle   `json:"vehicule"`
	Operation  CampaignOperation `json:"operation"`
	Promotions []Promotion       `json:"promotion"`
	Diffusion  CampaignDiffusion `json:"diffusion"`
}

// CampaignVehicle is the vehicle a campaign client was reminded about.
type CampaignVehicle struct {
	Plate string `json:"immatriculation"`
	Brand string `json:"marque"`
	Model string `json:"modele"`
}

// CampaignOperation is the job a campaign client was reminded of.
type CampaignOperation struct {
	ID    int    `json:"id"`
	Label string `json:"label"`
}

// Promotion is an offer attached to a campaign client.
type Promotion struct {
	ID    int    `json:"id"`
	Label string `json:"label"`
}

// CampaignDiffusion says on which channels a campaign client was reached.
type CampaignDiffusion struct {
	SMS   bool `json:"sms"`
	Email bool `json:"email"`
	Mail  bool `json:"courrier"`
}

// Pagination is campagnes-clients' paging block (not in the seed: see the
// mmp package documentation).
type Pagination struct {
	CurrentPage int `json:"currentPage"`
	LastPage    int `json:"lastPage"`
	PerPage     int `json:"perPage"`
	Total       int `json:"total"`
}

// BlacklistEntry is one customer of the network's email/SMS blacklist.
type BlacklistEntry struct {
	ClientID        int    `json:"clientId"`
	FirstName       string `json:"clientPrenom"`
	LastName        string `json:"clientNom"`
	CompanyName     string `json:"clientRaisonSociale"`
	ReminderSMS     bool   `json:"relanceSms"`
	ReminderEmail   bool   `json:"relanceEmail"`
	SyncDmsPhone    bool   `json:"synchroDmsTelephone"`
	SyncDmsEmail    bool   `json:"synchroDmsEmail"`
	Privacy         string `json:"viePrivee"`
	Mobile          string `json:"clientPortable"`
	Email           string `json:"clientEmail"`
	MemberShortName string `json:"adherentNomCourt"`
	PostalCode      string `json:"clientCodePostal"`
	MemberPoSCode   string `json:"adherentCodePdv"`
}

// BlacklistColumns are the CSV columns of the blacklist (output=csv): the
// JSON field names, in this order.
var BlacklistColumns = []string{
	"clientId", "clientPrenom", "clientNom", "clientRaisonSociale",
	"relanceSms", "relanceEmail", "synchroDmsTelephone", "synchroDmsEmail",
	"viePrivee", "clientPortable", "clientEmail", "adherentNomCourt",
	"clientCodePostal", "adherentCodePdv",
}

// UploadResult is the data of clients-factures.
type UploadResult struct {
	Success bool   `json:"success"`
	Message string `json:"message"`
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
