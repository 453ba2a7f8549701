import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A calendar date without time zone, `YYYY-MM-DD` (ISO 8601). */
  Date: { input: string; output: string; }
  /** An instant, RFC 3339 with offset. */
  DateTime: { input: string; output: string; }
  /** Arbitrary JSON, passed through as the upstream sent it. */
  JSON: { input: unknown; output: unknown; }
  /** A file sent per the GraphQL multipart request spec. */
  Upload: { input: File; output: File; }
};

/** A customer on the network's blacklist (MMP `blacklist` entry). */
export type BlacklistEntry = {
  __typename?: 'BlacklistEntry';
  /** MMP `clientRaisonSociale`. */
  companyName?: Maybe<Scalars['String']['output']>;
  /** MMP `clientId`. */
  customerId: Scalars['ID']['output'];
  /** MMP `synchroDmsEmail`. */
  dmsEmailSync: Scalars['Boolean']['output'];
  /** MMP `synchroDmsTelephone`. */
  dmsPhoneSync: Scalars['Boolean']['output'];
  /** MMP `clientEmail`. */
  email?: Maybe<Scalars['String']['output']>;
  /** MMP `relanceEmail`. */
  emailReminders: Scalars['Boolean']['output'];
  /** MMP `clientPrenom`. */
  firstName?: Maybe<Scalars['String']['output']>;
  /** MMP `clientNom`. */
  lastName?: Maybe<Scalars['String']['output']>;
  /** Mobile phone, E.164 digits (MMP `clientPortable`). */
  mobile?: Maybe<Scalars['String']['output']>;
  /** The member's point of sale (MMP `adherentCodePdv`, `adherentNomCourt`). */
  pointOfSale?: Maybe<PointOfSale>;
  /** Postal code (MMP `clientCodePostal`). */
  postalCode?: Maybe<Scalars['String']['output']>;
  /** Channels the customer refused (MMP `viePrivee`, split on `|`). */
  privacy: Array<Scalars['String']['output']>;
  /** MMP `relanceSms`. */
  smsReminders: Scalars['Boolean']['output'];
};

/** How the blacklist is fetched from MMP. */
export type BlacklistFormat =
  /** MMP's `output=csv` answer, parsed by the gateway. */
  | 'CSV'
  /** MMP's JSON answer. */
  | 'JSON';

/** One call (one Gravitel `callid`). */
export type Call = {
  __typename?: 'Call';
  /** Who the call is with: the caller lookup of its phone (Clavus folder, or an MMP customer the gateway has met); null when unknown. */
  customer?: Maybe<Contact>;
  /** Who placed it (Gravitel history `type`). */
  direction: CallDirection;
  /** Our number the call came through, E.164 digits (Gravitel `diversion`). */
  diversion?: Maybe<Scalars['String']['output']>;
  /** Total duration in seconds, ringing included (Gravitel history `duration`). */
  durationSeconds: Scalars['Int']['output'];
  /** When it ended, if it did. */
  endedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Events received for it, oldest first (none for outbound calls). */
  events: Array<CallEventRecord>;
  /** True once the PBX sent the history: the summary is final. */
  finished: Scalars['Boolean']['output'];
  /** PBX call id (Gravitel `callid`). */
  id: Scalars['ID']['output'];
  /** The customer's phone, E.164 digits (Gravitel `phone`). */
  phone: Scalars['String']['output'];
  /**
   * The first recording URL (Gravitel history `link`); null when none.
   * @deprecated A call may have several recordings: use recordingUrls.
   */
  recordingUrl?: Maybe<Scalars['String']['output']>;
  /**
   * Every recording URL of the call, in the PBX's order (Gravitel history `link`, several joined
   * by `|`); empty when the PBX sent none.
   */
  recordingUrls: Array<Scalars['String']['output']>;
  /** When it started (Gravitel history `start`, else the first event). */
  startedAt: Scalars['DateTime']['output'];
  /** Where it stands. */
  status: CallStatus;
  /** The CRM user who answered or was rung last (Gravitel `user`). */
  user?: Maybe<Scalars['String']['output']>;
};

/** A page of calls. */
export type CallConnection = {
  __typename?: 'CallConnection';
  /** The calls of this page with their cursors. */
  edges: Array<CallEdge>;
  /** The calls of this page. */
  nodes: Array<Call>;
  /** Where this page ends. */
  pageInfo: PageInfo;
  /** Calls matching the filter, all pages together. */
  totalCount: Scalars['Int']['output'];
};

/** Who placed a call. */
export type CallDirection =
  /** The customer called us (Gravitel history `type=in`). */
  | 'IN'
  /** We called the customer (Gravitel history `type=out`). */
  | 'OUT';

/** A call and its cursor. */
export type CallEdge = {
  __typename?: 'CallEdge';
  /** Opaque position of this call, for `after`. */
  cursor: Scalars['String']['output'];
  /** The call. */
  node: Call;
};

/** A live PBX event (Gravitel `cmd=event`). */
export type CallEvent = {
  __typename?: 'CallEvent';
  /** When the gateway received it. */
  at: Scalars['DateTime']['output'];
  /** The call as stored after this event. */
  call: Call;
  /** PBX call id (Gravitel `callid`). */
  callId: Scalars['ID']['output'];
  /** Our number the call came through (Gravitel `diversion`). */
  diversion?: Maybe<Scalars['String']['output']>;
  /** The caller, E.164 digits (Gravitel `phone`). */
  phone: Scalars['String']['output'];
  /** Event type (Gravitel `type`). */
  type: CallEventType;
  /** The CRM user rung (Gravitel `user`). */
  user?: Maybe<Scalars['String']['output']>;
};

/** An event stored on a call (Gravitel `event`). */
export type CallEventRecord = {
  __typename?: 'CallEventRecord';
  /** When the gateway received it. */
  at: Scalars['DateTime']['output'];
  /** Event type (Gravitel `type`). */
  type: CallEventType;
  /** The CRM user it concerns (Gravitel `user`). */
  user?: Maybe<Scalars['String']['output']>;
};

/** A PBX call event type (Gravitel `event` `type`). */
export type CallEventType =
  /** The user picked up (Gravitel `ACCEPTED`). */
  | 'ACCEPTED'
  /** The call ended unanswered (Gravitel `CANCELLED`). */
  | 'CANCELLED'
  /** The answered call ended (Gravitel `COMPLETED`). */
  | 'COMPLETED'
  /** A call rings a user (Gravitel `INCOMING`). */
  | 'INCOMING';

/** Where a call stands. */
export type CallStatus =
  /** Answered and going on (Gravitel `ACCEPTED`). */
  | 'ANSWERED'
  /** The other side was busy (history status `Busy`). */
  | 'BUSY'
  /** Answered and over (Gravitel `COMPLETED`, history status `Success`). */
  | 'COMPLETED'
  /** Could not be placed (history status `NotAvailable`, `NotAllowed`...). */
  | 'FAILED'
  /** Over without an answer (Gravitel `CANCELLED`, history status `missed`). */
  | 'MISSED'
  /** Ringing, nobody answered yet (Gravitel `INCOMING`). */
  | 'RINGING';

/** A marketing campaign of a point of sale (MMP `campagneList[]`). */
export type Campaign = {
  __typename?: 'Campaign';
  /** When it was created (MMP `dateCreation`). */
  createdOn?: Maybe<Scalars['Date']['output']>;
  /** Customers it reminded (MMP `clientList`). */
  customers: Array<CampaignCustomer>;
  /** MMP `id`. */
  id: Scalars['ID']['output'];
  /** The date the predicted jobs fall due (MMP `datePrediction`). */
  predictedFor?: Maybe<Scalars['Date']['output']>;
  /** When it was sent (MMP `dateDiffusion`). */
  sentOn?: Maybe<Scalars['Date']['output']>;
};

/** A customer reminded by a campaign. */
export type CampaignCustomer = {
  __typename?: 'CampaignCustomer';
  /** Channels used (MMP `diffusion`). */
  channels: Channels;
  /** MMP `civilite`. */
  civility?: Maybe<Scalars['String']['output']>;
  /** MMP `prenom` (often null: the full name is then in `lastName`). */
  firstName?: Maybe<Scalars['String']['output']>;
  /** MMP `nom`. */
  lastName?: Maybe<Scalars['String']['output']>;
  /** The job the customer was reminded of (MMP `operation`). */
  operation?: Maybe<ReminderOperation>;
  /** Offers attached (MMP `promotion`). */
  promotions: Array<Promotion>;
  /** The vehicle the reminder was about (MMP `vehicule`). */
  vehicle: CampaignVehicle;
};

/** One page of a point of sale's campaign customers. */
export type CampaignCustomerPage = {
  __typename?: 'CampaignCustomerPage';
  /** MMP `data.articleCode`. */
  articleCode?: Maybe<Scalars['String']['output']>;
  /** MMP `data.articleLibelle`. */
  articleLabel?: Maybe<Scalars['String']['output']>;
  /** Campaigns on this page (MMP `campagneList`). */
  campaigns: Array<Campaign>;
  /**
   * Whether a later page has campaigns: from MMP's paging block when it sends one, else by
   * reading the next page (one more MMP call, cached); null when that read fails.
   */
  hasNextPage?: Maybe<Scalars['Boolean']['output']>;
  /** The last page, when MMP says (the document shows no paging block: usually null). */
  lastPage?: Maybe<Scalars['Int']['output']>;
  /** The member's id, the `organizationId` that `uploadCustomerInvoices` takes (MMP `data.id`). */
  organizationId?: Maybe<Scalars['ID']['output']>;
  /** This page, from 1. */
  page: Scalars['Int']['output'];
  /** The point of sale asked for (`code_pdv`). */
  pointOfSale: Scalars['String']['output'];
  /** Customers over every page, when MMP says (usually null: MMP gives no totals). */
  total?: Maybe<Scalars['Int']['output']>;
};

/** The vehicle a campaign customer was reminded about. */
export type CampaignVehicle = {
  __typename?: 'CampaignVehicle';
  /** MMP `marque`. */
  make?: Maybe<Scalars['String']['output']>;
  /** MMP `modele`. */
  model?: Maybe<Scalars['String']['output']>;
  /** MMP `immatriculation`. */
  plate: Scalars['String']['output'];
};

/** Contact channels. */
export type Channels = {
  __typename?: 'Channels';
  /** E-mail (MMP `email`). */
  email: Scalars['Boolean']['output'];
  /** Postal mail (MMP `courrier`). */
  mail: Scalars['Boolean']['output'];
  /** SMS (MMP `sms`). */
  sms: Scalars['Boolean']['output'];
};

/** A customer's reminder consents (MMP `client`). */
export type Consents = {
  __typename?: 'Consents';
  /** Agrees to e-mail reminders (MMP `relanceEmail`). */
  email?: Maybe<Scalars['Boolean']['output']>;
  /** Agrees to postal reminders (MMP `relanceCourrier`). */
  mail?: Maybe<Scalars['Boolean']['output']>;
  /** Channels the customer refused, e.g. `telephone mobile`, `email` (MMP `viePrivee`, split on `|`). */
  refused: Array<Scalars['String']['output']>;
  /** Agrees to SMS reminders (MMP `relanceSms`). */
  sms?: Maybe<Scalars['Boolean']['output']>;
};

/** Who is calling (the gateway's answer to Gravitel `cmd=contact`). */
export type Contact = {
  __typename?: 'Contact';
  /** Contact name (Gravitel `contact_name`): the Clavus client name or the customer's name. */
  name: Scalars['String']['output'];
  /** The phone looked up, E.164 digits. */
  phone: Scalars['String']['output'];
  /** Id of the record in that source (Clavus folder id, MMP customer id). */
  recordId: Scalars['ID']['output'];
  /** Id of the user in charge (Gravitel `responsible`): the Clavus folder's commercial. */
  responsible?: Maybe<Scalars['String']['output']>;
  /** Where the contact was found. */
  source: CustomerSource;
};

/** An order for a new interface. */
export type CreateInterfaceInput = {
  /** The customer (Shop `client`). */
  client: ShopClientInput;
  /** Your own id for the interface (Shop `guid`); used once. */
  guid: Scalars['String']['input'];
  /** Prestation codes of the order (Shop `prestations`): exactly one setup `IN-…-S`. */
  prestations: Array<Scalars['String']['input']>;
  /** Subdomain to install on (Shop `sous_domaine`). */
  subdomain?: InputMaybe<Scalars['String']['input']>;
};

/** Shop's answer to an order. */
export type CreateInterfaceResult = {
  __typename?: 'CreateInterfaceResult';
  /** The interface as Shop describes it now (usually PENDING). */
  interface?: Maybe<Interface>;
  /** Key of the new interface (Shop `cle_interface`). */
  key: Scalars['ID']['output'];
};

/** A customer, whatever the upstream it comes from. */
export type Customer = {
  __typename?: 'Customer';
  /** Postal address line (MMP `clientAdresse`). */
  address?: Maybe<Scalars['String']['output']>;
  /** Calls with this customer's phone or mobile, newest first (at most 50). */
  calls?: Maybe<Array<Call>>;
  /** City (MMP `clientVille`). */
  city?: Maybe<Scalars['String']['output']>;
  /** Civility, e.g. `Mr` (MMP `clientCivilite`). */
  civility?: Maybe<Scalars['String']['output']>;
  /** Company name (MMP `clientRaisonSociale`); `lastName` holds it too when there is no person's name. */
  companyName?: Maybe<Scalars['String']['output']>;
  /** Reminder consents (MMP `client`: `relanceSms`, `relanceEmail`, `relanceCourrier`, `viePrivee`); null for records that carry none. */
  consents?: Maybe<Consents>;
  /** Id in the member's DMS (MMP `clientDmsId`). */
  dmsId?: Maybe<Scalars['ID']['output']>;
  /** E-mail address (MMP `clientEmail`, MseM `email`). */
  email?: Maybe<Scalars['String']['output']>;
  /** First name (MMP `clientPrenom`, MseM `firstname`). */
  firstName?: Maybe<Scalars['String']['output']>;
  /** The upstream's id for the customer (MMP `clientId`/`clientDmsId`, MseM `id`, Clavus folder id). */
  id: Scalars['ID']['output'];
  /** The vehicle as the member's import described it (MMP `import-client` records only). */
  importedVehicle?: Maybe<ImportedVehicle>;
  /** Last name or company name (MMP `clientNom`, MseM `lastname`). */
  lastName?: Maybe<Scalars['String']['output']>;
  /** Mobile phone, E.164 digits (MMP `clientPortable`). */
  mobile?: Maybe<Scalars['String']['output']>;
  /** Landline phone, E.164 digits (MMP `clientTelephone`). */
  phone?: Maybe<Scalars['String']['output']>;
  /** The network member the customer belongs to (MMP `client`: `memberId`, `memberPoSCode`, `memberTradeName`). */
  pointOfSale?: Maybe<PointOfSale>;
  /** Postal code (MMP `clientCodePostal`). */
  postalCode?: Maybe<Scalars['String']['output']>;
  /** The upstream the record comes from. */
  source: CustomerSource;
  /** Vehicles the customer is attached to (MMP: the plates it was found through). */
  vehicles?: Maybe<Array<Vehicle>>;
};

/** Where a customer record comes from. */
export type CustomerSource =
  /** Clavus ERP folders. */
  | 'CLAVUS'
  /** MMP Vision 360 (customers attached to a vehicle). */
  | 'MMP'
  /** MseM CRM notifications. */
  | 'MSEM';

/** A Clavus folder (dossier): a customer project. */
export type Folder = {
  __typename?: 'Folder';
  /** The cells asked for (Clavus `columns`). */
  columns: Array<FolderCell>;
  /** Folder id (Clavus `id`). */
  id: Scalars['ID']['output'];
  /** Every field of the folder (Clavus `getValuesByIds`; one call for all the folders of a response). */
  values?: Maybe<Array<FolderValue>>;
};

/** One cell of a folder (Clavus `columns` item). */
export type FolderCell = {
  __typename?: 'FolderCell';
  /** Column id (Clavus `id`). */
  id: Scalars['ID']['output'];
  /** Column label, e.g. `Nom du client` (Clavus `name`). */
  name: Scalars['String']['output'];
  /** The value as text; null when empty (Clavus `value`). */
  value?: Maybe<Scalars['String']['output']>;
};

/** A column of the folder table (Clavus `getColumns` item). */
export type FolderColumn = {
  __typename?: 'FolderColumn';
  /** Column id (Clavus `id`). */
  id: Scalars['ID']['output'];
  /** Column label (Clavus `label`). */
  label: Scalars['String']['output'];
};

/** A condition on a folder column (Clavus `FilterInput`). */
export type FolderFilter = {
  /** Column id, technical key or label (Clavus `column`). */
  column: Scalars['String']['input'];
  /** One of `=`, `<`, `>`, `<=`, `>=`, `IN`, `CONTAINS` (Clavus `operator`). */
  operator: Scalars['String']['input'];
  /** The value compared; for `IN`, a comma-separated list (Clavus `value`). */
  value: Scalars['String']['input'];
};

/** One page of folders (Clavus `getFolders` answer). */
export type FolderPage = {
  __typename?: 'FolderPage';
  /** The folders of this page (Clavus `results`). */
  results: Array<Folder>;
  /** Matching folders over all pages (Clavus `totalCount`). */
  totalCount: Scalars['Int']['output'];
};

/** A sort key (Clavus `SortInput`). */
export type FolderSort = {
  /** Column id, technical key or label (Clavus `column`). */
  column: Scalars['String']['input'];
  /** Direction (Clavus `direction`). */
  direction?: InputMaybe<SortDirection>;
};

/** One field of a folder (Clavus `values` item). */
export type FolderValue = {
  __typename?: 'FolderValue';
  /** Field id (Clavus `id`). */
  id: Scalars['ID']['output'];
  /** Label, e.g. `Commercial accompagnant` (Clavus `label`). */
  label: Scalars['String']['output'];
  /** Technical key, e.g. `commercial.accompagnant` (Clavus `name`). */
  name: Scalars['String']['output'];
  /** The value as text; null when empty (Clavus `value`). */
  value?: Maybe<Scalars['String']['output']>;
};

/** Every field of one folder (Clavus `getValuesByIds` item). */
export type FolderValues = {
  __typename?: 'FolderValues';
  /** Folder id (Clavus `id`). */
  id: Scalars['ID']['output'];
  /** Its fields (Clavus `values`). */
  values: Array<FolderValue>;
};

/** A computed maintenance forecast (MMP `previsions`). */
export type Forecast = {
  __typename?: 'Forecast';
  /** Due date estimated from a check (MMP `checkBasedEstimatedDate`). */
  checkBasedDate?: Maybe<Scalars['Date']['output']>;
  /** Extra forecast details, as MMP sent them (MMP `forecastInformations`). */
  details?: Maybe<Scalars['JSON']['output']>;
  /** The earliest of the three estimates: when to plan the job. */
  dueDate?: Maybe<Scalars['Date']['output']>;
  /** Maintenance job id (MMP `privateJobId`). */
  jobId?: Maybe<Scalars['Int']['output']>;
  /** Job label, e.g. `Filtre à air` (MMP `privateJobLabel`). */
  label?: Maybe<Scalars['String']['output']>;
  /** When the job was last done (MMP `lastJobDate`). */
  lastJobDate?: Maybe<Scalars['Date']['output']>;
  /** Due date estimated from mileage (MMP `milageBasedEstimatedDate`). */
  mileageBasedDate?: Maybe<Scalars['Date']['output']>;
  /** Due date estimated from the periodicity (MMP `periodicBasedEstimatedDate`). */
  periodBasedDate?: Maybe<Scalars['Date']['output']>;
};

/** A position (Clavus `gps`). */
export type Gps = {
  __typename?: 'GPS';
  /** Latitude (Clavus `gps[0]`). */
  lat: Scalars['String']['output'];
  /** Longitude (Clavus `gps[1]`). */
  lng: Scalars['String']['output'];
};

/** A position (Clavus `gps`: two decimal strings). */
export type GpsInput = {
  /** Latitude, -90 to 90, e.g. `43.1167`. */
  lat: Scalars['String']['input'];
  /** Longitude, -180 to 180, e.g. `1.6103`. */
  lng: Scalars['String']['input'];
};

/** A vehicle as a member's import file described it (MMP `import-client`: its `vehicle*` fields). */
export type ImportedVehicle = {
  __typename?: 'ImportedVehicle';
  /** Make (MMP `vehicleBrand`). */
  brand?: Maybe<Scalars['String']['output']>;
  /** Last anti-pollution check (MMP `vehicleLastAntipollutionControlDate`). */
  lastAntipollutionControlDate?: Maybe<Scalars['Date']['output']>;
  /** Last technical inspection (MMP `vehicleLastTechnicalControlDate`). */
  lastTechnicalControlDate?: Maybe<Scalars['Date']['output']>;
  /** Last visit date in the import (MMP `vehicleLastVisitDate`). */
  lastVisitDate?: Maybe<Scalars['Date']['output']>;
  /** Mileage at the last visit, km (MMP `vehicleLastVisitMileage`). */
  lastVisitMileage?: Maybe<Scalars['Int']['output']>;
  /** Model (MMP `vehicleModel`). */
  model?: Maybe<Scalars['String']['output']>;
  /** Next anti-pollution check due (MMP `vehicleNextAntipollutionControlDate`). */
  nextAntipollutionControlDate?: Maybe<Scalars['Date']['output']>;
  /** Next technical inspection due (MMP `vehicleNextTechnicalControlDate`). */
  nextTechnicalControlDate?: Maybe<Scalars['Date']['output']>;
  /** Registration plate (MMP `vehicleRegistrationPlate`). */
  plate?: Maybe<Scalars['String']['output']>;
  /** First registration date (MMP `vehicleReleaseDate`). */
  releaseDate?: Maybe<Scalars['Date']['output']>;
  /** VIN (MMP `vehicleVIN`). */
  vin?: Maybe<Scalars['String']['output']>;
  /** SIRET of the workshop whose file it came from (MMP `workshopNationalId`). */
  workshopNationalId?: Maybe<Scalars['String']['output']>;
};

/** An e-commerce site run by Shop Application. */
export type Interface = {
  __typename?: 'Interface';
  /** Administration URL (Shop `url_administration`). */
  adminUrl?: Maybe<Scalars['String']['output']>;
  /** When it was installed (Shop `date_creation`). */
  createdAt?: Maybe<Scalars['DateTime']['output']>;
  /** When the deletion becomes final (Shop `date_suppression`). */
  deletionDate?: Maybe<Scalars['DateTime']['output']>;
  /** Project form URL while pending (Shop `url_formulaire`). */
  formUrl?: Maybe<Scalars['String']['output']>;
  /** Interface key (Shop `cle_interface`). */
  key: Scalars['ID']['output'];
  /**
   * Prestations ordered for it, one entry per occurrence (Shop `GET /interfaces/{key}/prestations`, then
   * `…/prestations/{code}` once per distinct code: it returns every copy of that code).
   */
  prestations?: Maybe<Array<OrderedPrestation>>;
  /**
   * When the interface was reactivated (Shop `date_reactivation`). Shop gives it only in its answer to
   * a reactivation, so it is set on what `reactivateInterface` returns and null everywhere else.
   */
  reactivationDate?: Maybe<Scalars['DateTime']['output']>;
  /** Current status (Shop `statut`). */
  status: InterfaceStatus;
  /** Public site URL (Shop `url`). */
  url?: Maybe<Scalars['String']['output']>;
};

/** Lifecycle of an interface (Shop `statut`). */
export type InterfaceStatus =
  /** 1: billed, the customer can administer it; the site is open. */
  | 'ACTIVE'
  /** 0: deleted for good. */
  | 'DELETED'
  /** 2: deletion requested: no longer billed nor accessible; can be reactivated until `deletionDate`. */
  | 'DISABLED'
  /** 3: ordered, installation in progress. */
  | 'PENDING';

/** An MMP invoice, qualified (`factures`) or raw as imported (`import-factures`, lines grouped by invoice). */
export type Invoice = {
  __typename?: 'Invoice';
  /** Total amount in euros (MMP `invoiceAmount`). */
  amount?: Maybe<Scalars['Float']['output']>;
  /** The customer's id in the member's DMS (MMP `clientDmsId`; raw invoices only). */
  customerDmsId?: Maybe<Scalars['ID']['output']>;
  /** Invoice date (MMP `invoiceDate`). */
  date?: Maybe<Scalars['Date']['output']>;
  /** Invoice id in the member's DMS (MMP `invoiceDmsId`): joins a raw invoice to its qualified one. */
  dmsId?: Maybe<Scalars['ID']['output']>;
  /** Invoice id: MMP `invoiceDmsId` for a qualified invoice, `invoiceId` for a raw one. */
  id: Scalars['ID']['output'];
  /** Invoice lines (MMP `invoiceContent`; raw: one record per line). */
  lines: Array<InvoiceLine>;
  /** Vehicle mileage on the invoice, km (MMP `mileageOnInvoice`; raw: `vehicleMileage`). */
  mileage?: Maybe<Scalars['Int']['output']>;
  /** Point of sale that issued it (MMP `memberId`, `memberPoSCode`, `memberTradeName`). */
  pointOfSale?: Maybe<PointOfSale>;
  /** True for a raw imported invoice, false for a qualified one. */
  raw: Scalars['Boolean']['output'];
  /** VIN on the invoice (MMP `vehicleVIN`; raw invoices only). */
  vin?: Maybe<Scalars['String']['output']>;
  /** SIRET of the workshop that issued it (MMP `workshopNationalId`; raw invoices only). */
  workshopNationalId?: Maybe<Scalars['String']['output']>;
};

/** One line of an invoice. */
export type InvoiceLine = {
  __typename?: 'InvoiceLine';
  /** Workshop job code (MMP `jobCode`). */
  jobCode?: Maybe<Scalars['String']['output']>;
  /** Maintenance job id the line was qualified as (MMP `privateJobId`). */
  jobId?: Maybe<Scalars['Int']['output']>;
  /** Qualified job label (MMP `privateJobLabel`). */
  jobLabel?: Maybe<Scalars['String']['output']>;
  /** Package code (MMP `packageCode`). */
  packageCode?: Maybe<Scalars['String']['output']>;
  /** Package label (MMP `packageLabel`). */
  packageLabel?: Maybe<Scalars['String']['output']>;
  /** Part brand (MMP `partBrand`). */
  partBrand?: Maybe<Scalars['String']['output']>;
  /** Part label (MMP `partLabel`). */
  partLabel?: Maybe<Scalars['String']['output']>;
  /** Part reference (MMP `partReference`). */
  partReference?: Maybe<Scalars['String']['output']>;
  /** Quantity (MMP `partQuantity`). */
  quantity?: Maybe<Scalars['Float']['output']>;
  /** How MMP recognised the job, e.g. `code operation` or `libelle piece` (MMP `privateUsedSource`). */
  usedSource?: Maybe<Scalars['String']['output']>;
  /** Workshop job label (MMP `jobLabel`). */
  workshopJobLabel?: Maybe<Scalars['String']['output']>;
};

/** The PBX's acceptance of a makeCall: it rings `user`, then `phone`. */
export type MakeCallResult = {
  __typename?: 'MakeCallResult';
  /** The phone dialled, E.164 digits. */
  phone: Scalars['String']['output'];
  /** When the gateway asked the PBX. */
  requestedAt: Scalars['DateTime']['output'];
  /** The user rung first (Gravitel `user`). */
  user: Scalars['String']['output'];
};

/** A customer as MseM takes it (MseM `value` of a customer operation). */
export type MsemCustomerInput = {
  /** MseM `email`. */
  email: Scalars['String']['input'];
  /** MseM `firstname`. */
  firstName: Scalars['String']['input'];
  /** MseM `id` (a positive integer). */
  id: Scalars['ID']['input'];
  /** MseM `lastname`. */
  lastName: Scalars['String']['input'];
};

/** What MseM accepted (its echo of the notification). */
export type MsemNotification = {
  __typename?: 'MsemNotification';
  /** MseM `channel`. */
  channel: Scalars['String']['output'];
  /** The Idempotency-Key sent with it. */
  idempotencyKey: Scalars['String']['output'];
  /** The accepted operations (MseM `operations`). */
  operations: Array<MsemOperation>;
};

/** An accepted operation. */
export type MsemOperation = {
  __typename?: 'MsemOperation';
  /** The customer, for customer operations (source MSEM). */
  customer?: Maybe<Customer>;
  /** The order, for order operations. */
  order?: Maybe<MsemOrder>;
  /** MseM `type`. */
  type: MsemOperationType;
};

/** One operation: `customer` for customer types, `order` for order types. */
export type MsemOperationInput = {
  /** The customer, for CreateCustomer/UpdateCustomer. */
  customer?: InputMaybe<MsemCustomerInput>;
  /** The order, for CreateOrder/UpdateOrder. */
  order?: InputMaybe<MsemOrderInput>;
  /** MseM `type`. */
  type: MsemOperationType;
};

/** The operations MseM accepts. */
export type MsemOperationType =
  /** A new customer (`value` is the customer). */
  | 'CreateCustomer'
  /** A new order (`value` is the order). */
  | 'CreateOrder'
  /** A changed customer. */
  | 'UpdateCustomer'
  /** A changed order. */
  | 'UpdateOrder';

/** An order as MseM echoed it. */
export type MsemOrder = {
  __typename?: 'MsemOrder';
  /** The other fields of `value`. */
  attributes?: Maybe<Scalars['JSON']['output']>;
  /** MseM `customerId`. */
  customerId?: Maybe<Scalars['ID']['output']>;
  /** MseM `id`. */
  id: Scalars['ID']['output'];
};

/** An order. MseM documents no order shape: `id`, `customerId` and free attributes are sent in `value`. */
export type MsemOrderInput = {
  /** Further fields, sent as they are alongside `id` and `customerId`. */
  attributes?: InputMaybe<Scalars['JSON']['input']>;
  /** The customer's id (MseM `customerId`); required on CreateOrder. */
  customerId?: InputMaybe<Scalars['ID']['input']>;
  /** Order id (MseM `id`). */
  id: Scalars['ID']['input'];
};

/** Entry points for writing. */
export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Adds prestations to an interface (Shop `POST /interfaces/{key}/prestations`). Checked first: codes
   * known, no setup prestation, and for each prestation that needs an associated prestation, one in the
   * order or already active on the interface.
   */
  addPrestations?: Maybe<Array<PrestationLink>>;
  /** Cancels a prestation of an interface by code (every occurrence) or unique reference (Shop `DELETE /interfaces/{key}/prestations/{x}`). */
  cancelPrestation?: Maybe<Array<PrestationLink>>;
  /**
   * Orders a new interface (Shop `POST /interfaces`). Checked before Shop is called: every code is
   * in the catalogue, exactly one setup prestation `IN-…-S`, and every prestation that needs an
   * associated prestation has one in the order (BAD_USER_INPUT with `extensions.rule`). Starts billing.
   * The `guid` orders once: the same order again answers the first interface; another order with
   * a known guid is BAD_USER_INPUT (`extensions.rule: "guid_reused"`).
   */
  createInterface?: Maybe<CreateInterfaceResult>;
  /** Requests deletion (Shop `DELETE /interfaces/{key}`): status DISABLED, final deletion after 90 days. */
  deleteInterface?: Maybe<Interface>;
  /**
   * Asks the PBX to ring `user`, then `phone` (Gravitel `cmd=makeCall`). Never retried by the
   * gateway: a retry would ring the customer twice. The same (phone, user) again within 30 s is
   * refused (BAD_USER_INPUT, `extensions.rule: "duplicate_call"`) unless it carries a new
   * idempotency key. When the PBX does not answer in time the error says
   * `extensions.outcome: "UNKNOWN"`; a retry with the same key does not dial again, and answers
   * the call once the PBX's history shows it. The call appears in `calls` when the PBX sends its
   * history.
   */
  makeCall?: Maybe<MakeCallResult>;
  /**
   * Pushes CRM operations to MseM (`POST /api/crm/crm-to-msem/notification`, body `{channel,
   * operations: [{type, value}]}`). Operations are checked first (type, customer id, names, e-mail
   * syntax; order id): BAD_USER_INPUT naming the field, and nothing is sent. A notification that
   * may have reached MseM is never resent by the gateway; send an idempotency key to retry safely.
   */
  notifyMsem?: Maybe<MsemNotification>;
  /** Always true; lets clients check that mutations reach the gateway. */
  ping: Scalars['Boolean']['output'];
  /** Shortcut: one CreateCustomer (or UpdateCustomer when `update`) operation. */
  pushCustomerToMsem?: Maybe<MsemNotification>;
  /** Reactivates an interface whose deletion was requested and is not yet final (Shop `POST /interfaces/{key}`); `reactivationDate` is Shop's answer. */
  reactivateInterface?: Maybe<Interface>;
  /**
   * Sends a member's customers/invoices ZIP to MMP (`import-fichier/clients-factures`, fields
   * `importFile` and `organizationId`). A file that is not a ZIP, or larger than 20 MiB, is
   * BAD_USER_INPUT and never reaches MMP. Not retried automatically.
   */
  uploadCustomerInvoices?: Maybe<UploadResult>;
  /**
   * Creates a prospect (no `id`) or updates the fields given (with `id`) (Clavus `upsertProspect`).
   * Checked before Clavus is called: e-mail syntax, phone, SIREN digits, GPS as two decimal strings
   * in range, decimal price (BAD_USER_INPUT with `extensions.field`). Clavus refuses to update a
   * converted prospect: UPSTREAM_REJECTED with its message. Drops the cached folder pages.
   */
  upsertProspect?: Maybe<Prospect>;
};


/** Entry points for writing. */
export type MutationAddPrestationsArgs = {
  codes: Array<Scalars['String']['input']>;
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  key: Scalars['ID']['input'];
};


/** Entry points for writing. */
export type MutationCancelPrestationArgs = {
  codeOrReference: Scalars['String']['input'];
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  key: Scalars['ID']['input'];
};


/** Entry points for writing. */
export type MutationCreateInterfaceArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  input: CreateInterfaceInput;
};


/** Entry points for writing. */
export type MutationDeleteInterfaceArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  key: Scalars['ID']['input'];
};


/** Entry points for writing. */
export type MutationMakeCallArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  phone: Scalars['String']['input'];
  user: Scalars['String']['input'];
};


/** Entry points for writing. */
export type MutationNotifyMsemArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  operations: Array<MsemOperationInput>;
};


/** Entry points for writing. */
export type MutationPushCustomerToMsemArgs = {
  customer: MsemCustomerInput;
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  update?: InputMaybe<Scalars['Boolean']['input']>;
};


/** Entry points for writing. */
export type MutationReactivateInterfaceArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  key: Scalars['ID']['input'];
};


/** Entry points for writing. */
export type MutationUploadCustomerInvoicesArgs = {
  file: Scalars['Upload']['input'];
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  organizationId: Scalars['ID']['input'];
};


/** Entry points for writing. */
export type MutationUpsertProspectArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  input: ProspectInput;
};

/** An operation from the vehicle's history (MMP `historiques`). */
export type Operation = {
  __typename?: 'Operation';
  /** When it was done (MMP `operationDate`). */
  date?: Maybe<Scalars['Date']['output']>;
  /** The invoice it was on (MMP `invoiceDmsId`). */
  invoiceId?: Maybe<Scalars['ID']['output']>;
  /** Maintenance job id in the MMP catalogue (MMP `privateJobId`). */
  jobId?: Maybe<Scalars['Int']['output']>;
  /** Job label, e.g. `Vidange` (MMP `privateJobLabel`). */
  label?: Maybe<Scalars['String']['output']>;
  /** Mileage at the time, km (MMP `vehicleMileage`). */
  mileage?: Maybe<Scalars['Int']['output']>;
  /** Workshop that did it (MMP `memberId`, `memberPoSCode`, `memberTradeName`). */
  pointOfSale?: Maybe<PointOfSale>;
  /** How MMP recognised the job, e.g. `code operation` or `libelle piece` (MMP `privateUsedSource`). */
  usedSource?: Maybe<Scalars['String']['output']>;
};

/** A prestation ordered for an interface (one occurrence). */
export type OrderedPrestation = {
  __typename?: 'OrderedPrestation';
  /** True once cancelled (Shop `resilie`). */
  cancelled: Scalars['Boolean']['output'];
  /** When it was cancelled (Shop `date_resiliation`). */
  cancelledAt?: Maybe<Scalars['DateTime']['output']>;
  /** Prestation code (Shop `code`). */
  code: Scalars['String']['output'];
  /** Form to fill for it, if any (Shop `url_formulaire`). */
  formUrl?: Maybe<Scalars['String']['output']>;
  /** When it was ordered (Shop `date_creation`). */
  orderedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The catalogue entry. */
  prestation?: Maybe<Prestation>;
  /** Unique reference of this occurrence (Shop `reference_unique`). */
  reference?: Maybe<Scalars['String']['output']>;
};

/** Cursor pagination state (Relay). */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** Cursor of the last item of the page; null when the page is empty. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** True when more items follow. */
  hasNextPage: Scalars['Boolean']['output'];
};

/** A PBX account (Gravitel `accounts` item). */
export type PbxAccount = {
  __typename?: 'PbxAccount';
  /** Account name (Gravitel `name`). */
  name: Scalars['String']['output'];
  /** Display name (Gravitel `realName`). */
  realName?: Maybe<Scalars['String']['output']>;
};

/** A network member's point of sale (MMP `memberId`, `memberPoSCode`, `memberTradeName`). */
export type PointOfSale = {
  __typename?: 'PointOfSale';
  /** MMP `memberPoSCode` / `code_pdv`. */
  code?: Maybe<Scalars['String']['output']>;
  /** MMP `memberId`. */
  id?: Maybe<Scalars['ID']['output']>;
  /** MMP `memberTradeName`. */
  name?: Maybe<Scalars['String']['output']>;
};

/** A billable service from the catalogue. */
export type Prestation = {
  __typename?: 'Prestation';
  /** Prestations one of which must be in the same order (Shop `prestations_associees`). */
  associated?: Maybe<Array<Prestation>>;
  /** Code, e.g. `IN-ECO-S` for a setup (Shop `code`). */
  code: Scalars['String']['output'];
  /** Long description, HTML (Shop `descriptif_long`). */
  longDescription?: Maybe<Scalars['String']['output']>;
  /** Name (Shop `nom`). */
  name?: Maybe<Scalars['String']['output']>;
  /** Price in euros excluding tax (Shop `prix`). */
  price?: Maybe<Scalars['Float']['output']>;
  /** True for a setup prestation (`IN-…-S`): exactly one per creation, never on addition. */
  setup: Scalars['Boolean']['output'];
  /** Short description (Shop `descriptif_court`). */
  shortDescription?: Maybe<Scalars['String']['output']>;
};

/** A prestation added to or cancelled on an interface. */
export type PrestationLink = {
  __typename?: 'PrestationLink';
  /** Prestation code. */
  code: Scalars['String']['output'];
  /** Form to fill, when the prestation has one. */
  formUrl?: Maybe<Scalars['String']['output']>;
  /** Unique reference of the occurrence. */
  reference?: Maybe<Scalars['String']['output']>;
};

/** An offer attached to a reminder (MMP `promotion[]`). */
export type Promotion = {
  __typename?: 'Promotion';
  /** MMP `id`. */
  id: Scalars['ID']['output'];
  /** MMP `label`. */
  label?: Maybe<Scalars['String']['output']>;
};

/** A Clavus prospect as stored after the upsert. */
export type Prospect = {
  __typename?: 'Prospect';
  /** Postal address (Clavus `address`). */
  address?: Maybe<Scalars['String']['output']>;
  /** Note for the commercial (Clavus `commercialNote`). */
  commercialNote?: Maybe<Scalars['String']['output']>;
  /** E-mail address (Clavus `email`). */
  email?: Maybe<Scalars['String']['output']>;
  /** First name (Clavus `firstName`). */
  firstName?: Maybe<Scalars['String']['output']>;
  /** Position (Clavus `gps`). */
  gps?: Maybe<Gps>;
  /** Prospect id (Clavus `id`). */
  id: Scalars['ID']['output'];
  /** Last name (Clavus `lastName`). */
  lastName?: Maybe<Scalars['String']['output']>;
  /** Phone, E.164 digits, e.g. `33612345678` (Clavus `phone`). */
  phone?: Maybe<Scalars['String']['output']>;
  /** Postal code (Clavus `postalCode`). */
  postalCode?: Maybe<Scalars['String']['output']>;
  /** Installation power in kWc (Clavus `puissanceKc`). */
  powerKWc?: Maybe<Scalars['Float']['output']>;
  /** Price before tax (Clavus `prixHT`). */
  priceHT?: Maybe<Scalars['String']['output']>;
  /** SIREN (Clavus `siren`). */
  siren?: Maybe<Scalars['String']['output']>;
  /** Legal kind (Clavus `type`). */
  type?: Maybe<ProspectType>;
};

/** A prospect to create (no `id`) or update (with `id`: only the fields given change). */
export type ProspectInput = {
  /** Postal address (Clavus `address`). */
  address?: InputMaybe<Scalars['String']['input']>;
  /** Free note for the commercial (Clavus `commercialNote`). */
  commercialNote?: InputMaybe<Scalars['String']['input']>;
  /** E-mail address (Clavus `email`). */
  email?: InputMaybe<Scalars['String']['input']>;
  /** First name (Clavus `firstName`). */
  firstName?: InputMaybe<Scalars['String']['input']>;
  /** Position (Clavus `gps`). */
  gps?: InputMaybe<GpsInput>;
  /** Prospect id to update (Clavus `id`); absent to create. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** Last name (Clavus `lastName`). */
  lastName?: InputMaybe<Scalars['String']['input']>;
  /** Phone in any common form, e.g. `06 12 34 56 78` (Clavus `phone`). */
  phone?: InputMaybe<Scalars['String']['input']>;
  /** Postal code (Clavus `postalCode`). */
  postalCode?: InputMaybe<Scalars['String']['input']>;
  /** Installation power in kWc (Clavus `puissanceKc`). */
  powerKWc?: InputMaybe<Scalars['Float']['input']>;
  /** Price before tax as a decimal string, e.g. `23.00` (Clavus `prixHT`). */
  priceHT?: InputMaybe<Scalars['String']['input']>;
  /** SIREN, 9 digits, spaces allowed (Clavus `siren`). */
  siren?: InputMaybe<Scalars['String']['input']>;
  /** Legal kind (Clavus `type`). */
  type?: InputMaybe<ProspectType>;
};

/** Legal kind of a prospect (Clavus `type`). */
export type ProspectType =
  /** A company, personne morale (Clavus `MORAL`). */
  | 'MORAL'
  /** A private person, personne physique (Clavus `PHYSICAL`; the guide shows only MORAL). */
  | 'PHYSICAL';

/** Entry points for reading. */
export type Query = {
  __typename?: 'Query';
  /**
   * The network's e-mail/SMS blacklist (MMP `relance-clients/blacklist`), optionally filtered.
   * `format` picks the upstream transfer (CSV is smaller; both give the same entries).
   */
  blacklist?: Maybe<Array<BlacklistEntry>>;
  /**
   * Calls the PBX told us about (Gravitel `event` and `history` webhooks, stored by the gateway),
   * newest first, with cursor pagination. `phone` is normalized (any common form, region FR).
   */
  calls?: Maybe<CallConnection>;
  /**
   * Customers a point of sale reminded in its marketing campaigns (MMP `campagnes-clients`,
   * paged by MMP). `pointOfSale` is the member's `code_pdv`; one MMP does not know is null
   * with NOT_FOUND.
   */
  campaignCustomers?: Maybe<CampaignCustomerPage>;
  /**
   * Who is calling from `phone`: the answer the PBX gets from `cmd=contact` (Clavus folders whose
   * phone matches, then customers the gateway has seen). Null when nobody matches.
   */
  contact?: Maybe<Contact>;
  /** Column definitions of the folder table (Clavus `erpEnrAPI.getColumns`), served stale-while-revalidate. */
  folderColumns?: Maybe<Array<FolderColumn>>;
  /**
   * Every field of the folders asked for (Clavus `erpEnrAPI.getValuesByIds`, one call for the whole
   * list). An id Clavus does not know gives a null item and a NOT_FOUND error at its index.
   */
  folderValues?: Maybe<Array<Maybe<FolderValues>>>;
  /**
   * One page of Clavus folders (dossiers) (Clavus `erpEnrAPI.getFolders`). `search` is Clavus's
   * phrase search ("quoted phrases" allowed); `columns` restricts the cells returned (column id,
   * key or label); every `filter` must hold; `sort` orders by its first entry first.
   * Cached for a minute; `upsertProspect` drops the cached pages.
   */
  folders?: Maybe<FolderPage>;
  /** One interface by key (Shop `GET /interfaces/{cle_interface}`); null with NOT_FOUND when Shop does not know it. */
  interface?: Maybe<Interface>;
  /**
   * Every interface (e-commerce site) of the account (Shop `GET /interfaces`, then each one's detail
   * only when a field beyond `key` and `prestations` is selected or `status` filters).
   */
  interfaces?: Maybe<Array<Interface>>;
  /** The PBX accounts (Gravitel `crm_api` `cmd=accounts`), cached for a minute. */
  pbxAccounts?: Maybe<Array<PbxAccount>>;
  /** One catalogue prestation (Shop `GET /prestation/{code}`). */
  prestation?: Maybe<Prestation>;
  /** The prestation catalogue (Shop `GET /prestations`, then each `GET /prestation/{code}`). */
  prestations?: Maybe<Array<Prestation>>;
  /** The upstreams this gateway knows and whether each is configured. */
  sources: Array<SourceStatus>;
  /** Every team (Clavus `erpEnrAPI.getTeams`), served stale-while-revalidate. */
  teams?: Maybe<Array<Team>>;
  /**
   * A vehicle by registration plate, from MMP Vision 360 (`immatriculation`). Plates are
   * normalized first (`ab-123 cd` is `AB123CD`); a malformed plate is BAD_USER_INPUT and a plate
   * MMP does not know is NOT_FOUND.
   */
  vehicle?: Maybe<Vehicle>;
};


/** Entry points for reading. */
export type QueryBlacklistArgs = {
  format?: InputMaybe<BlacklistFormat>;
  pointOfSale?: InputMaybe<Scalars['String']['input']>;
  postalCode?: InputMaybe<Scalars['String']['input']>;
};


/** Entry points for reading. */
export type QueryCallsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
  since?: InputMaybe<Scalars['DateTime']['input']>;
  until?: InputMaybe<Scalars['DateTime']['input']>;
  user?: InputMaybe<Scalars['String']['input']>;
};


/** Entry points for reading. */
export type QueryCampaignCustomersArgs = {
  page?: InputMaybe<Scalars['Int']['input']>;
  pointOfSale: Scalars['String']['input'];
};


/** Entry points for reading. */
export type QueryContactArgs = {
  phone: Scalars['String']['input'];
};


/** Entry points for reading. */
export type QueryFolderColumnsArgs = {
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
};


/** Entry points for reading. */
export type QueryFolderValuesArgs = {
  ids: Array<Scalars['ID']['input']>;
};


/** Entry points for reading. */
export type QueryFoldersArgs = {
  columns?: InputMaybe<Array<Scalars['String']['input']>>;
  filter?: InputMaybe<Array<FolderFilter>>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
  sort?: InputMaybe<Array<FolderSort>>;
};


/** Entry points for reading. */
export type QueryInterfaceArgs = {
  key: Scalars['ID']['input'];
};


/** Entry points for reading. */
export type QueryInterfacesArgs = {
  status?: InputMaybe<InterfaceStatus>;
};


/** Entry points for reading. */
export type QueryPrestationArgs = {
  code: Scalars['String']['input'];
};


/** Entry points for reading. */
export type QueryVehicleArgs = {
  plate: Scalars['String']['input'];
};

/** A marketing campaign reminder (MMP `relances`). */
export type Reminder = {
  __typename?: 'Reminder';
  /** Campaign id (MMP `campaignId`). */
  campaignId: Scalars['ID']['output'];
  /** Channels used, e.g. `SMS` (MMP `diffusionList[].diffusionLabel`). */
  channels: Array<Scalars['String']['output']>;
  /** The reminded customer's id in the member's DMS (MMP `clientDmsId`). */
  customerDmsId?: Maybe<Scalars['ID']['output']>;
  /** Campaign label (MMP `campaignlabel`). */
  label?: Maybe<Scalars['String']['output']>;
  /** Operations promoted (MMP `operationList`). */
  operations: Array<ReminderOperation>;
  /** Point of sale that ran it. */
  pointOfSale?: Maybe<PointOfSale>;
  /** When it was sent (MMP `campaignDiffusionDate`). */
  sentAt?: Maybe<Scalars['DateTime']['output']>;
  /** Campaign type, e.g. `predictive` (MMP `campaignType`). */
  type?: Maybe<Scalars['String']['output']>;
};

/** An operation promoted by a reminder. */
export type ReminderOperation = {
  __typename?: 'ReminderOperation';
  /** MMP `operationId`. */
  id: Scalars['ID']['output'];
  /** MMP `operationLabel`. */
  label?: Maybe<Scalars['String']['output']>;
  /** The offer, e.g. `-10%` (MMP `messageDescription`). */
  offer?: Maybe<Scalars['String']['output']>;
};

/** The customer an interface is ordered for (Shop `client`). */
export type ShopClientInput = {
  /** Shop `adresse`. */
  address?: InputMaybe<Scalars['String']['input']>;
  /** Shop `ape`. */
  ape?: InputMaybe<Scalars['String']['input']>;
  /** Shop `ville`. */
  city?: InputMaybe<Scalars['String']['input']>;
  /** Shop `societe`. */
  company?: InputMaybe<Scalars['String']['input']>;
  /** Shop `pays`. */
  country?: InputMaybe<Scalars['String']['input']>;
  /** Shop `email`. */
  email: Scalars['String']['input'];
  /** Shop `prenom`. */
  firstName?: InputMaybe<Scalars['String']['input']>;
  /** Shop `nom`. */
  lastName?: InputMaybe<Scalars['String']['input']>;
  /** Shop `telephone`; normalized to E.164 digits. */
  phone?: InputMaybe<Scalars['String']['input']>;
  /** Shop `code_postal`. */
  postalCode?: InputMaybe<Scalars['String']['input']>;
  /** Shop `rcs`. */
  rcs?: InputMaybe<Scalars['String']['input']>;
};

/** Sort direction (Clavus `direction`: `asc` or `desc`). */
export type SortDirection =
  /** Smallest first (Clavus `asc`). */
  | 'ASC'
  /** Largest first (Clavus `desc`). */
  | 'DESC';

/** The five upstream APIs behind Switchboard. */
export type SourceName =
  /** Clavus: renewable-energy ERP (folders, teams, prospects). */
  | 'CLAVUS'
  /** Gravitel: virtual PBX (calls). */
  | 'GRAVITEL'
  /** MMP Vision 360: vehicles, their customers, invoices, maintenance. */
  | 'MMP'
  /** MseM: CRM notifications. */
  | 'MSEM'
  /** Shop Application: e-commerce interfaces and prestations. */
  | 'SHOP';

/** Whether an upstream is wired on this gateway. */
export type SourceStatus = {
  __typename?: 'SourceStatus';
  /** False when its environment variables are absent: its fields answer NOT_CONFIGURED. */
  configured: Scalars['Boolean']['output'];
  /** Which upstream. */
  name: SourceName;
  /** True when the gateway talks to its in-process fake (sandbox mode), not the real API. */
  sandbox: Scalars['Boolean']['output'];
};

/** Live events. */
export type Subscription = {
  __typename?: 'Subscription';
  /** Live call events from the PBX (Gravitel `cmd=event`), for one CRM user or all. */
  callEvents: CallEvent;
  /** Emits the server time every `seconds` (1 to 60), `count` times; a transport check. */
  heartbeat: Scalars['DateTime']['output'];
};


/** Live events. */
export type SubscriptionCallEventsArgs = {
  user?: InputMaybe<Scalars['String']['input']>;
};


/** Live events. */
export type SubscriptionHeartbeatArgs = {
  count?: Scalars['Int']['input'];
  seconds?: Scalars['Int']['input'];
};

/** A Clavus team. */
export type Team = {
  __typename?: 'Team';
  /** Display colour, e.g. `#3366ff` (Clavus `color`). */
  color?: Maybe<Scalars['String']['output']>;
  /** Description (Clavus `description`). */
  description?: Maybe<Scalars['String']['output']>;
  /** Team id (Clavus `id`). */
  id: Scalars['ID']['output'];
  /** Name (Clavus `name`). */
  name: Scalars['String']['output'];
  /** Its active users (Clavus `getUsers(teamId)`; every team of the answer in one aliased request, cached; one call per team when Clavus refuses aliases). */
  users?: Maybe<Array<User>>;
};

/** MMP's answer to an upload. */
export type UploadResult = {
  __typename?: 'UploadResult';
  /** MMP `data.message`, e.g. `Le fichier a été importé avec succès.` */
  message?: Maybe<Scalars['String']['output']>;
  /** MMP `data.success`. */
  success: Scalars['Boolean']['output'];
};

/** A Clavus user (a commercial); folders name their commercial by this id, and the PBX maps its accounts to it. */
export type User = {
  __typename?: 'User';
  /** E-mail address (Clavus `email`). */
  email?: Maybe<Scalars['String']['output']>;
  /** First name (Clavus `firstName`). */
  firstName?: Maybe<Scalars['String']['output']>;
  /** User id (Clavus `id`). */
  id: Scalars['ID']['output'];
  /** Last name (Clavus `lastName`). */
  lastName?: Maybe<Scalars['String']['output']>;
};

/**
 * A vehicle known to the MMP network. Asking for two or more of its lists fetches them all with
 * one MMP `vision360` call; asking for one fetches just that endpoint.
 */
export type Vehicle = {
  __typename?: 'Vehicle';
  /** Calls with the phones of this vehicle's customers, newest first (at most 50). */
  calls?: Maybe<Array<Call>>;
  /** Estimated current mileage, km (MMP `vehicleCurrentMilageEstimated`). */
  currentMileageEstimate?: Maybe<Scalars['Int']['output']>;
  /** Customers attached to the vehicle (MMP `client` service, `relanceClientList` in vision360). */
  customers?: Maybe<Array<Customer>>;
  /** The vehicle's diagnostic as MMP sent it (vision360 `vehiculeDiagnostic`; its service is undocumented, so it is passed on as is). */
  diagnostic?: Maybe<Scalars['JSON']['output']>;
  /** Computed maintenance forecasts (MMP `previsions`, `vehiculePrevisionList` in vision360). */
  forecasts?: Maybe<Array<Forecast>>;
  /** Raw customer records as imported by network members (MMP `import-client`, `clientList` in vision360). */
  importedCustomers?: Maybe<Array<Customer>>;
  /** Raw imported invoices grouped by invoice (MMP `import-factures`, `importFactureList` in vision360). */
  importedInvoices?: Maybe<Array<Invoice>>;
  /** Qualified invoices with their lines (MMP `factures`, `vehiculeFactureList` in vision360). */
  invoices?: Maybe<Array<Invoice>>;
  /** Last anti-pollution check (MMP `vehicleLastAntipollutionControlDate`, when vision360 sends it). */
  lastAntipollutionControlDate?: Maybe<Scalars['Date']['output']>;
  /** Last technical inspection (MMP `vehicleLastTechnicalControlDate`). */
  lastTechnicalControlDate?: Maybe<Scalars['Date']['output']>;
  /** Date of the last workshop visit (MMP `vehicleLastVisitDate`). */
  lastVisitDate?: Maybe<Scalars['Date']['output']>;
  /** Mileage recorded at the last visit, km (MMP `vehicleLastVisitMileage`). */
  lastVisitMileage?: Maybe<Scalars['Int']['output']>;
  /** Estimated km driven per month (MMP `monthlyMilageEstimated`). */
  monthlyMileageEstimate?: Maybe<Scalars['Int']['output']>;
  /** Next anti-pollution check due (MMP `vehicleNextAntipollutionControlDate`, when vision360 sends it). */
  nextAntipollutionControlDate?: Maybe<Scalars['Date']['output']>;
  /** Next technical inspection due (MMP `vehicleNextTechnicalControlDate`). */
  nextTechnicalControlDate?: Maybe<Scalars['Date']['output']>;
  /** Operations done on the vehicle (MMP `historiques`, `vehiculeHistoriqueList` in vision360). */
  operations?: Maybe<Array<Operation>>;
  /** Normalized registration plate (MMP `immatriculation`), e.g. `AB123CD`. */
  plate: Scalars['String']['output'];
  /** First registration date (MMP `vehicleReleaseDate`). */
  releaseDate?: Maybe<Scalars['Date']['output']>;
  /** Marketing campaign reminders sent about the vehicle (MMP `relances`, `vehiculeRelanceList` in vision360). */
  reminders?: Maybe<Array<Reminder>>;
  /** Vehicle identification number (MMP `vehicleVariante` / `vehicleVIN`). */
  vin?: Maybe<Scalars['String']['output']>;
};

export type VehicleByPlateQueryVariables = Exact<{
  plate: Scalars['String']['input'];
}>;


export type VehicleByPlateQuery = { __typename?: 'Query', vehicle?: { __typename?: 'Vehicle', plate: string, customers?: Array<{ __typename?: 'Customer', firstName?: string | null, lastName?: string | null }> | null, invoices?: Array<{ __typename?: 'Invoice', date?: string | null, amount?: number | null }> | null, forecasts?: Array<{ __typename?: 'Forecast', label?: string | null }> | null } | null };


export const VehicleByPlateDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"VehicleByPlate"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"plate"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"vehicle"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"plate"},"value":{"kind":"Variable","name":{"kind":"Name","value":"plate"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"plate"}},{"kind":"Field","name":{"kind":"Name","value":"customers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"firstName"}},{"kind":"Field","name":{"kind":"Name","value":"lastName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"invoices"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"date"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"forecasts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"label"}}]}}]}}]}}]} as unknown as DocumentNode<VehicleByPlateQuery, VehicleByPlateQueryVariables>;