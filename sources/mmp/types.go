package mmp

import "encoding/json"

// The types below are what the client returns. Each field's `mmp` tag lists
// every name the upstream may use for it, the seed's name first (see the
// package documentation for why each alternative is there); decode reads
// the first one present. The `json` tags are this package's own encoding,
// used by caches, not the upstream's. Nullable counters are pointers: nil
// when MMP sent null or nothing, 0 when it sent 0.

// VehicleInfo is vision360's vehicleInformations.
type VehicleInfo struct {
	MonthlyMileageEstimated      *int   `json:"monthlyMileageEstimated" mmp:"monthlyMilageEstimated,monthlyMileageEstimated,vehicleMonthlyMileageEstimated"`
	ReleaseDate                  Date   `json:"releaseDate" mmp:"vehicleReleaseDate"`
	VIN                          string `json:"vin" mmp:"vehicleVariante,vehicleVIN,vehicleVin"`
	LastVisitDate                Date   `json:"lastVisitDate" mmp:"vehicleLastVisitDate"`
	LastVisitMileage             *int   `json:"lastVisitMileage" mmp:"vehicleLastVisitMileage,vehicleLastVisitMilage"`
	CurrentMileageEstimated      *int   `json:"currentMileageEstimated" mmp:"vehicleCurrentMilageEstimated,vehicleCurrentMileageEstimated"`
	LastTechnicalControlDate     Date   `json:"lastTechnicalControlDate" mmp:"vehicleLastTechnicalControlDate"`
	NextTechnicalControlDate     Date   `json:"nextTechnicalControlDate" mmp:"vehicleNextTechnicalControlDate"`
	LastAntipollutionControlDate Date   `json:"lastAntipollutionControlDate" mmp:"vehicleLastAntipollutionControlDate"`
	NextAntipollutionControlDate Date   `json:"nextAntipollutionControlDate" mmp:"vehicleNextAntipollutionControlDate"`
}

// RawCustomer is one line of import-client (vision360 clientList): a
// customer as imported from a member's files, untreated, with the vehicle
// fields of that import line.
type RawCustomer struct {
	WorkshopNationalID                  string `json:"workshopNationalId" mmp:"workshopNationalId,workshopSiret"` // SIRET of the member's workshop
	ClientDmsID                         string `json:"clientDmsId" mmp:"clientDmsId"`
	Civility                            string `json:"civility" mmp:"clientCivilite,clientCivility"`
	LastName                            string `json:"lastName" mmp:"clientNom,clientLastName,clientLastname"`
	FirstName                           string `json:"firstName" mmp:"clientPrenom,clientFirstName,clientFirstname"`
	CompanyName                         string `json:"companyName" mmp:"clientRaisonSociale,clientCompanyName"`
	Address                             string `json:"address" mmp:"clientAdresse,clientAddress"`
	PostalCode                          string `json:"postalCode" mmp:"clientCodePostal,clientPostalCode,clientZipCode"`
	City                                string `json:"city" mmp:"clientVille,clientCity"`
	Email                               string `json:"email" mmp:"clientEmail,clientMail"`
	Mobile                              string `json:"mobile" mmp:"clientPortable,clientMobile,clientMobilePhone"`
	Phone                               string `json:"phone" mmp:"clientTelephone,clientPhone"`
	Plate                               string `json:"plate" mmp:"vehicleRegistrationPlate,vehicleImmatriculation,vehiclePlate"`
	VehicleBrand                        string `json:"vehicleBrand" mmp:"vehicleBrand,vehicleMarque,vehicleMake"`
	VehicleModel                        string `json:"vehicleModel" mmp:"vehicleModel,vehicleModele"`
	VehicleReleaseDate                  Date   `json:"vehicleReleaseDate" mmp:"vehicleReleaseDate"`
	VIN                                 string `json:"vin" mmp:"vehicleVIN,vehicleVin,vehicleVariante"`
	VehicleLastVisitDate                Date   `json:"vehicleLastVisitDate" mmp:"vehicleLastVisitDate"`
	VehicleLastVisitMileage             *int   `json:"vehicleLastVisitMileage" mmp:"vehicleLastVisitMileage,vehicleLastVisitMilage"`
	VehicleLastTechnicalControlDate     Date   `json:"vehicleLastTechnicalControlDate" mmp:"vehicleLastTechnicalControlDate"`
	VehicleNextTechnicalControlDate     Date   `json:"vehicleNextTechnicalControlDate" mmp:"vehicleNextTechnicalControlDate"`
	VehicleLastAntipollutionControlDate Date   `json:"vehicleLastAntipollutionControlDate" mmp:"vehicleLastAntipollutionControlDate"`
	VehicleNextAntipollutionControlDate Date   `json:"vehicleNextAntipollutionControlDate" mmp:"vehicleNextAntipollutionControlDate"`
}

// Customer is one entry of client (vision360 relanceClientList): a customer
// attached to the vehicle after MMP's treatment, with their reminder
// consents and point of sale.
type Customer struct {
	ClientID        int    `json:"clientId" mmp:"clientId"`
	ClientDmsID     string `json:"clientDmsId" mmp:"clientDmsId"`
	Civility        string `json:"civility" mmp:"clientCivilite,clientCivility"`
	LastName        string `json:"lastName" mmp:"clientNom,clientLastName,clientLastname"`
	FirstName       string `json:"firstName" mmp:"clientPrenom,clientFirstName,clientFirstname"`
	CompanyName     string `json:"companyName" mmp:"clientRaisonSociale,clientCompanyName"`
	Address         string `json:"address" mmp:"clientAdresse,clientAddress"`
	PostalCode      string `json:"postalCode" mmp:"clientCodePostal,clientPostalCode,clientZipCode"`
	City            string `json:"city" mmp:"clientVille,clientCity"`
	Email           string `json:"email" mmp:"clientEmail,clientMail"`
	Mobile          string `json:"mobile" mmp:"clientPortable,clientMobile,clientMobilePhone"`
	Phone           string `json:"phone" mmp:"clientTelephone,clientPhone"`
	ReminderSMS     *bool  `json:"reminderSms" mmp:"relanceSms,relanceSMS,reminderSms"`
	ReminderEmail   *bool  `json:"reminderEmail" mmp:"relanceEmail,reminderEmail"`
	ReminderMail    *bool  `json:"reminderMail" mmp:"relanceCourrier,reminderMail,reminderPost"`
	Privacy         string `json:"privacy" mmp:"viePrivee,privacy"` // channels the customer refused, "telephone mobile | email"
	MemberID        int    `json:"memberId" mmp:"memberId,adherentId"`
	MemberPoSCode   string `json:"memberPoSCode" mmp:"memberPoSCode,memberPosCode,adherentCodePdv"`
	MemberTradeName string `json:"memberTradeName" mmp:"memberTradeName,adherentNomCourt"`
}

// Operation is one entry of historiques (vision360 vehiculeHistoriqueList):
// a job done on the vehicle.
type Operation struct {
	OperationDate     Date   `json:"operationDate" mmp:"operationDate,date,jobDate,invoiceDate"`
	Mileage           *int   `json:"mileage" mmp:"vehicleMileage,operationMileage,mileage,mileageOnInvoice"`
	PrivateJobID      int    `json:"privateJobId" mmp:"privateJobId"`
	PrivateJobLabel   string `json:"privateJobLabel" mmp:"privateJobLabel"`
	PrivateUsedSource string `json:"privateUsedSource" mmp:"privateUsedSource"` // how the job was recognised: "libelle piece", "code operation"...
	InvoiceDmsID      string `json:"invoiceDmsId" mmp:"invoiceDmsId"`
	MemberID          int    `json:"memberId" mmp:"memberId,adherentId"`
	MemberPoSCode     string `json:"memberPoSCode" mmp:"memberPoSCode,memberPosCode,adherentCodePdv"`
	MemberTradeName   string `json:"memberTradeName" mmp:"memberTradeName,adherentNomCourt"`
}

// Forecast is one entry of previsions (vision360 vehiculePrevisionList).
type Forecast struct {
	PrivateJobID               int             `json:"privateJobId" mmp:"privateJobId"`
	PrivateJobLabel            string          `json:"privateJobLabel" mmp:"privateJobLabel"`
	LastJobDate                Date            `json:"lastJobDate" mmp:"lastJobDate"`
	MileageBasedEstimatedDate  Date            `json:"mileageBasedEstimatedDate" mmp:"milageBasedEstimatedDate,mileageBasedEstimatedDate"`
	PeriodicBasedEstimatedDate Date            `json:"periodicBasedEstimatedDate" mmp:"periodicBasedEstimatedDate"`
	CheckBasedEstimatedDate    Date            `json:"checkBasedEstimatedDate" mmp:"checkBasedEstimatedDate"`
	ForecastInformations       json.RawMessage `json:"forecastInformations" mmp:"forecastInformations"` // shape undocumented; null in every example
}

// RawInvoiceLine is one line of import-factures (vision360
// importFactureList): untreated, one line per invoiced item, each repeating
// its invoice's header.
type RawInvoiceLine struct {
	WorkshopNationalID string   `json:"workshopNationalId" mmp:"workshopNationalId,workshopSiret"`
	ClientDmsID        string   `json:"clientDmsId" mmp:"clientDmsId"`
	InvoiceID          int      `json:"invoiceId" mmp:"invoiceId"`
	InvoiceDmsID       string   `json:"invoiceDmsId" mmp:"invoiceDmsId"`
	InvoiceDate        Date     `json:"invoiceDate" mmp:"invoiceDate"`
	InvoiceAmount      *float64 `json:"invoiceAmount" mmp:"invoiceAmount"`
	VIN                string   `json:"vin" mmp:"vehicleVIN,vehicleVin"`
	Mileage            *int     `json:"mileage" mmp:"vehicleMileage,mileageOnInvoice"`
	Plate              string   `json:"plate" mmp:"vehicleRegistrationPlate,vehicleImmatriculation"`
	PackageCode        string   `json:"packageCode" mmp:"packageCode"`
	PackageLabel       string   `json:"packageLabel" mmp:"packageLabel"`
	JobCode            string   `json:"jobCode" mmp:"jobCode"`
	JobLabel           string   `json:"jobLabel" mmp:"jobLabel"`
	PartQuantity       *float64 `json:"partQuantity" mmp:"partQuantity"`
	PartReference      string   `json:"partReference" mmp:"partReference"`
	PartBrand          string   `json:"partBrand" mmp:"partBrand"`
	PartLabel          string   `json:"partLabel" mmp:"partLabel"`
}

// Invoice is one entry of factures (vision360 vehiculeFactureList): a
// qualified invoice with its lines.
type Invoice struct {
	InvoiceDmsID    string        `json:"invoiceDmsId" mmp:"invoiceDmsId"`
	InvoiceDate     Date          `json:"invoiceDate" mmp:"invoiceDate"`
	InvoiceAmount   *float64      `json:"invoiceAmount" mmp:"invoiceAmount"`
	Mileage         *int          `json:"mileage" mmp:"mileageOnInvoice,vehicleMileage"`
	MemberID        int           `json:"memberId" mmp:"memberId,adherentId"`
	MemberPoSCode   string        `json:"memberPoSCode" mmp:"memberPoSCode,memberPosCode,adherentCodePdv"`
	MemberTradeName string        `json:"memberTradeName" mmp:"memberTradeName,adherentNomCourt"`
	Lines           []InvoiceLine `json:"lines" mmp:"invoiceContent"`
}

// InvoiceLine is one entry of an invoice's invoiceContent: a job (jobCode,
// jobLabel, packageCode...) or a part (partReference, partBrand...).
type InvoiceLine struct {
	PrivateJobID      int      `json:"privateJobId" mmp:"privateJobId"`
	PrivateJobLabel   string   `json:"privateJobLabel" mmp:"privateJobLabel"`
	PrivateUsedSource string   `json:"privateUsedSource" mmp:"privateUsedSource"`
	PackageCode       string   `json:"packageCode" mmp:"packageCode"`
	PackageLabel      string   `json:"packageLabel" mmp:"packageLabel"`
	JobCode           string   `json:"jobCode" mmp:"jobCode"`
	JobLabel          string   `json:"jobLabel" mmp:"jobLabel"`
	PartQuantity      *float64 `json:"partQuantity" mmp:"partQuantity"`
	PartReference     string   `json:"partReference" mmp:"partReference"`
	PartBrand         string   `json:"partBrand" mmp:"partBrand"`
	PartLabel         string   `json:"partLabel" mmp:"partLabel"`
}

// Reminder is one entry of relances (vision360 vehiculeRelanceList): a
// marketing campaign that reminded the vehicle's owner.
type Reminder struct {
	CampaignID      int                 `json:"campaignId" mmp:"campaignId"`
	CampaignLabel   string              `json:"campaignLabel" mmp:"campaignlabel,campaignLabel"`
	CampaignType    string              `json:"campaignType" mmp:"campaignType"` // "predictive", "seasonal"...
	MemberID        int                 `json:"memberId" mmp:"memberId,adherentId"`
	MemberPoSCode   string              `json:"memberPoSCode" mmp:"memberPoSCode,memberPosCode,adherentCodePdv"`
	MemberTradeName string              `json:"memberTradeName" mmp:"memberTradeName,adherentNomCourt"`
	DiffusionDate   Date                `json:"diffusionDate" mmp:"campaignDiffusionDate"`
	Diffusions      []Diffusion         `json:"diffusions" mmp:"diffusionList"`
	Operations      []ReminderOperation `json:"operations" mmp:"operationList"`
	ClientDmsID     string              `json:"clientDmsId" mmp:"clientDmsId"`
}

// Diffusion is a channel a campaign went out on.
type Diffusion struct {
	ID    int    `json:"id" mmp:"diffusionId"`
	Label string `json:"label" mmp:"diffusionLabel"` // "SMS", "Email", "Courrier"
}

// ReminderOperation is a job a campaign promoted.
type ReminderOperation struct {
	ID                 int    `json:"id" mmp:"operationId"`
	Label              string `json:"label" mmp:"operationLabel"`
	MessageDescription string `json:"messageDescription" mmp:"messageDescription"` // the offer, e.g. "-10%"
}

// Vision360 is the data of vision360: everything above in one call.
type Vision360 struct {
	VehicleInformations VehicleInfo      `json:"vehicleInformations" mmp:"vehicleInformations,vehiculeInformations"`
	RawCustomers        []RawCustomer    `json:"rawCustomers" mmp:"clientList"`
	RawInvoiceLines     []RawInvoiceLine `json:"rawInvoiceLines" mmp:"importFactureList"`
	Customers           []Customer       `json:"customers" mmp:"relanceClientList"`
	Operations          []Operation      `json:"operations" mmp:"vehiculeHistoriqueList,vehicleHistoriqueList,vehiculeHistoriquesList"`
	Forecasts           []Forecast       `json:"forecasts" mmp:"vehiculePrevisionList,vehiclePrevisionList,vehiculePrevisionsList"`
	Invoices            []Invoice        `json:"invoices" mmp:"vehiculeFactureList,vehicleFactureList"`
	Diagnostic          json.RawMessage  `json:"diagnostic" mmp:"vehiculeDiagnostic,vehicleDiagnostic"` // no documented service; kept raw
	Reminders           []Reminder       `json:"reminders" mmp:"vehiculeRelanceList,vehicleRelanceList"`
}

// CampaignHeader is the data object of campagnes-clients: the member's id
// (the organizationId uploads take) and an article.
type CampaignHeader struct {
	ID           int    `json:"id" mmp:"id,organizationId"`
	ArticleCode  string `json:"articleCode" mmp:"articleCode"`
	ArticleLabel string `json:"articleLabel" mmp:"articleLibelle,articleLabel"`
}

// Campaign is one entry of campagnes-clients' campagneList.
type Campaign struct {
	ID             int              `json:"id" mmp:"id"`
	DiffusionDate  Date             `json:"diffusionDate" mmp:"dateDiffusion,diffusionDate"`
	PredictionDate Date             `json:"predictionDate" mmp:"datePrediction,predictionDate"`
	CreationDate   Date             `json:"creationDate" mmp:"dateCreation,creationDate"`
	Clients        []CampaignClient `json:"clients" mmp:"clientList,clients"`
}

// CampaignClient is a customer a campaign reminded.
type CampaignClient struct {
	Civility   string            `json:"civility" mmp:"civilite,civility"`
	FirstName  string            `json:"firstName" mmp:"prenom,firstName"`
	LastName   string            `json:"lastName" mmp:"nom,lastName"` // often "NOM PRENOM" with prenom null
	Vehicle    CampaignVehicle   `json:"vehicle" mmp:"vehicule,vehicle"`
	Operation  CampaignOperation `json:"operation" mmp:"operation"`
	Promotions []Promotion       `json:"promotions" mmp:"promotion,promotions"`
	Diffusion  CampaignDiffusion `json:"diffusion" mmp:"diffusion"`
}

// CampaignVehicle is the vehicle a campaign client was reminded about.
type CampaignVehicle struct {
	Plate string `json:"plate" mmp:"immatriculation,plate,registrationPlate"`
	Brand string `json:"brand" mmp:"marque,brand,make"`
	Model string `json:"model" mmp:"modele,model"`
}

// CampaignOperation is the job a campaign client was reminded of.
type CampaignOperation struct {
	ID    int    `json:"id" mmp:"id"`
	Label string `json:"label" mmp:"label,libelle"`
}

// Promotion is an offer attached to a campaign client.
type Promotion struct {
	ID    int    `json:"id" mmp:"id"`
	Label string `json:"label" mmp:"label,libelle"`
}

// CampaignDiffusion says on which channels a campaign client was reached.
type CampaignDiffusion struct {
	SMS   bool `json:"sms" mmp:"sms"`
	Email bool `json:"email" mmp:"email"`
	Mail  bool `json:"mail" mmp:"courrier,mail"`
}

// pagination is a paging block of campagnes-clients. The seed shows none;
// one is read if MMP sends it, in Laravel's camel or snake case.
type pagination struct {
	CurrentPage *int `mmp:"currentPage,current_page"`
	LastPage    *int `mmp:"lastPage,last_page"`
	PerPage     *int `mmp:"perPage,per_page"`
	Total       *int `mmp:"total"`
}

// BlacklistEntry is one customer of the network's email/SMS blacklist.
type BlacklistEntry struct {
	ClientID        int    `json:"clientId" mmp:"clientId"`
	FirstName       string `json:"firstName" mmp:"clientPrenom,clientFirstName"`
	LastName        string `json:"lastName" mmp:"clientNom,clientLastName"`
	CompanyName     string `json:"companyName" mmp:"clientRaisonSociale,clientCompanyName"`
	ReminderSMS     bool   `json:"reminderSms" mmp:"relanceSms"`
	ReminderEmail   bool   `json:"reminderEmail" mmp:"relanceEmail"`
	SyncDmsPhone    bool   `json:"syncDmsPhone" mmp:"synchroDmsTelephone"`
	SyncDmsEmail    bool   `json:"syncDmsEmail" mmp:"synchroDmsEmail"`
	Privacy         string `json:"privacy" mmp:"viePrivee"`
	Mobile          string `json:"mobile" mmp:"clientPortable,clientMobile"`
	Email           string `json:"email" mmp:"clientEmail"`
	MemberShortName string `json:"memberShortName" mmp:"adherentNomCourt"`
	PostalCode      string `json:"postalCode" mmp:"clientCodePostal,clientPostalCode"`
	MemberPoSCode   string `json:"memberPoSCode" mmp:"adherentCodePdv"`
}

// blacklistColumns are the CSV columns of the blacklist (output=csv): the
// JSON field names of the seed.
var blacklistColumns = []string{
	"clientId", "clientPrenom", "clientNom", "clientRaisonSociale",
	"relanceSms", "relanceEmail", "synchroDmsTelephone", "synchroDmsEmail",
	"viePrivee", "clientPortable", "clientEmail", "adherentNomCourt",
	"clientCodePostal", "adherentCodePdv",
}

// UploadResult is the data of clients-factures.
type UploadResult struct {
	Success bool   `json:"success" mmp:"success"`
	Message string `json:"message" mmp:"message"`
}
