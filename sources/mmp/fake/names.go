package fake

var (
	maleFirstNames = []string{"Jean", "Pierre", "Michel", "Philippe", "Alain", "Nicolas", "Christophe", "Patrick",
		"Laurent", "Stéphane", "Julien", "Thomas", "David", "Sébastien", "Frédéric", "Olivier", "Éric", "Antoine",
		"Hugo", "Lucas", "Mathieu", "Guillaume", "Romain", "Vincent", "François", "Bernard", "Didier", "Thierry",
		"Maxime", "Kévin", "Yannick", "Gérard", "Bruno", "Cédric", "Jérôme", "Arnaud", "Benoît", "Damien"}
	femaleFirstNames = []string{"Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Christine", "Sophie",
		"Valérie", "Sandrine", "Céline", "Julie", "Camille", "Émilie", "Aurélie", "Claire", "Anne", "Hélène",
		"Caroline", "Laure", "Manon", "Chloé", "Léa", "Pauline", "Virginie", "Stéphanie", "Martine", "Françoise",
		"Monique", "Brigitte", "Élodie", "Audrey", "Mélanie", "Agnès", "Corinne", "Florence", "Delphine"}
	lastNames = []string{"Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau",
		"Laurent", "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier",
		"Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefèvre", "Faure",
		"André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier",
		"Garcia", "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier",
		"Masson", "Marchand", "Duval", "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour",
		"Meunier", "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier",
		"Arnaud", "Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal", "Caron",
		"Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix", "Olivier", "Philippe",
		"Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc", "Payet", "Rolland", "Leclercq", "Guillaume", "Lecomte"}
	streets = []string{"rue de la République", "avenue Jean Jaurès", "rue Victor Hugo", "boulevard Gambetta",
		"rue Pasteur", "place de la Mairie", "rue du Général de Gaulle", "chemin des Vignes", "allée des Tilleuls",
		"rue des Écoles", "impasse des Lilas", "route de Paris", "rue Jules Ferry", "avenue de la Gare",
		"rue du Moulin", "rue Nationale", "rue de l'Église", "boulevard Voltaire", "rue des Acacias", "rue Carnot"}
	cities = []struct{ postalCode, name string }{
		{"75011", "Paris"}, {"92150", "Suresnes"}, {"92100", "Boulogne-Billancourt"}, {"93100", "Montreuil"},
		{"69003", "Lyon"}, {"13008", "Marseille"}, {"31000", "Toulouse"}, {"33000", "Bordeaux"}, {"44000", "Nantes"},
		{"59000", "Lille"}, {"67000", "Strasbourg"}, {"35000", "Rennes"}, {"34000", "Montpellier"},
		{"06000", "Nice"}, {"21000", "Dijon"}, {"37000", "Tours"}, {"55200", "Commercy"}, {"76000", "Rouen"},
		{"87000", "Limoges"}, {"63000", "Clermont-Ferrand"}, {"49000", "Angers"}, {"45000", "Orléans"},
		{"51100", "Reims"}, {"29200", "Brest"}, {"64000", "Pau"}, {"80000", "Amiens"}, {"74000", "Annecy"}}
	emailDomains = []string{"gmail.com", "orange.fr", "free.fr", "hotmail.fr", "laposte.net", "sfr.fr",
		"yahoo.fr", "wanadoo.fr", "outlook.fr", "mail.fr", "bbox.fr"}
	companySuffixes = []string{"SARL", "SAS", "EURL", "SASU"}
	companyNames    = []string{"TRANSPORTS", "BATIMENT", "PLOMBERIE", "ELECTRICITE", "PAYSAGES", "MENUISERIE",
		"TAXI", "LIVRAISONS", "AMBULANCES", "CONSEIL"}
)

// models are the fleet's makes and models, with the VIN prefix (WMI) of
// each make.
var models = []struct {
	brand, wmi string
	names      []string
}{
	{"Renault", "VF1", []string{"CLIO", "MEGANE", "CAPTUR", "SCENIC", "KANGOO", "TWINGO"}},
	{"Peugeot", "VF3", []string{"208", "308", "2008", "3008", "PARTNER", "207"}},
	{"Citroen", "VF7", []string{"C3", "C4", "BERLINGO", "C5", "C3 PICASSO"}},
	{"Dacia", "UU1", []string{"SANDERO", "DUSTER", "LOGAN", "SPRING"}},
	{"Volkswagen", "WVW", []string{"GOLF", "POLO", "TIGUAN"}},
	{"Toyota", "VNK", []string{"YARIS", "AURIS", "C-HR"}},
	{"Ford", "WF0", []string{"FIESTA", "FOCUS", "KUGA"}},
	{"Opel", "W0L", []string{"CORSA", "ASTRA"}},
}

// privateJob is one entry of MMP's catalogue of recognised jobs, with what
// an invoice for it holds and how often it is due.
type privateJob struct {
	id             int
	label          string
	jobCode        string
	jobLabel       string
	labor          float64 // price excluding tax
	parts          []part
	everyKm        int // 0: not mileage-based
	everyMonths    int // 0: not periodic
	checkBased     bool
	campaignOffers []string
}

type part struct {
	reference, brand, label string
	price                   float64
	quantity                float64
}

var privateJobs = []privateJob{
	{id: 1, label: "Vidange", jobCode: "V", jobLabel: "Vidange Moteur + Remplacement Filtre A Huile", labor: 35,
		parts:   []part{{"OE-5W30-5L", "TOTAL", "HUILE QUARTZ 5W30", 9.8, 4.5}, {"F026407023", "BOSCH", "FILTRE A HUILE", 11.5, 1}},
		everyKm: 15000, everyMonths: 12, campaignOffers: []string{"-10%", "-15%", "Offert"}},
	{id: 2, label: "Bougies", jobCode: "B", jobLabel: "Remplacement Des Bougies D'allumage", labor: 42,
		parts: []part{{"FR7DC+", "BOSCH", "BOUGIE ALLUMAGE", 8.9, 4}}, everyKm: 60000, campaignOffers: []string{"-10%"}},
	{id: 4, label: "Filtre à air", jobCode: "FA", jobLabel: "Remplacement Filtre A Air", labor: 15,
		parts: []part{{"C2774/3", "MANN-FILTER", "FILTRE A AIR", 18.4, 1}}, everyKm: 30000, everyMonths: 24, campaignOffers: []string{"-10%"}},
	{id: 6, label: "Filtre habitacle", jobCode: "FH", jobLabel: "Remplacement Filtre D'habitacle", labor: 12,
		parts: []part{{"CUK2939", "MANN-FILTER", "FILTRE HABITACLE CHARBON", 24.9, 1}}, everyMonths: 12, campaignOffers: []string{"-10%", "-20%"}},
	{id: 9, label: "Liquide de frein", jobCode: "C", jobLabel: "Remplacement Du Liquide De Freins", labor: 45,
		parts: []part{{"BBF4DOT4", "BOSCH", "LIQUIDE DE FREIN DOT4 1L", 12.6, 1}}, everyMonths: 24, campaignOffers: []string{"-10%"}},
	{id: 11, label: "Courroie de distribution", jobCode: "D", jobLabel: "Remplacement Kit Distribution + Pompe A Eau", labor: 290,
		parts: []part{{"KP15598XS", "GATES", "KIT DISTRIBUTION + POMPE", 189, 1}}, everyKm: 120000, everyMonths: 72, campaignOffers: []string{"-15%"}},
	{id: 14, label: "Plaquettes de frein", jobCode: "P", jobLabel: "Remplacement Plaquettes AV", labor: 48,
		parts: []part{{"425405", "CITROEN", "JEU 4 PLAQ", 54.3, 1}}, everyKm: 40000, checkBased: true, campaignOffers: []string{"-10%", "Contrôle offert"}},
	{id: 15, label: "Disques de frein", jobCode: "DF", jobLabel: "Remplacement Disques + Plaquettes AV", labor: 85,
		parts:   []part{{"0986479S27", "BOSCH", "DISQUE FREIN AV (x2)", 96, 1}, {"0986494371", "BOSCH", "JEU PLAQUETTES AV", 41, 1}},
		everyKm: 80000, checkBased: true, campaignOffers: []string{"-15%"}},
	{id: 18, label: "Pneumatiques", jobCode: "PN", jobLabel: "Montage Equilibrage Pneumatiques", labor: 60,
		parts: []part{{"205/55R16 91V", "MICHELIN", "PNEU PRIMACY 4", 98, 2}}, everyKm: 45000, checkBased: true, campaignOffers: []string{"1 pneu offert pour 3 achetés"}},
	{id: 21, label: "Amortisseurs", jobCode: "AM", jobLabel: "Remplacement Amortisseurs AV", labor: 120,
		parts: []part{{"335808", "KYB", "AMORTISSEUR AV", 78, 2}}, everyKm: 80000, checkBased: true},
	{id: 24, label: "Batterie", jobCode: "BA", jobLabel: "Remplacement Batterie", labor: 20,
		parts: []part{{"S4005", "VARTA", "BATTERIE 60AH 540A", 119, 1}}, everyMonths: 60, campaignOffers: []string{"Test offert"}},
	{id: 27, label: "Climatisation", jobCode: "CL", jobLabel: "Recharge Climatisation", labor: 69,
		parts: []part{{"R134A", "", "GAZ R134A", 1.1, 0.6}}, everyMonths: 24, campaignOffers: []string{"-20%"}},
	{id: 30, label: "Balais d'essuie-glace", jobCode: "EG", jobLabel: "Remplacement Balais Essuie-Glace", labor: 8,
		parts: []part{{"3397007187", "BOSCH", "BALAI AEROTWIN", 26.5, 1}}, everyMonths: 12, campaignOffers: []string{"-10%"}},
}

// members are the network's workshops (adhérents).
var members = []member{
	{id: 57525, pos: "920150", tradeName: "H2N AUTOMOBILE", shortName: "H2N AUTO", siret: "32635721700024", headerID: 78612},
	{id: 61204, pos: "6768ZED", tradeName: "SAS GARAGE DE LA MEUSE", shortName: "SAS GARAGE ", siret: "41235468900017", headerID: 80113},
	{id: 61377, pos: "417728CZ", tradeName: "SAS GARAGE COMMERCY AUTO", shortName: "SAS GARAGE", siret: "49876532100021", headerID: 80290},
	{id: 58810, pos: "690312", tradeName: "AUTO SERVICE CROIX-ROUSSE", shortName: "AS CROIX-ROUSSE", siret: "51245789600012", headerID: 79004},
	{id: 59042, pos: "130845", tradeName: "GARAGE DU PRADO", shortName: "GGE PRADO", siret: "44512398700035", headerID: 79120},
	{id: 59233, pos: "310077", tradeName: "ATELIER MECANIQUE CAPITOLE", shortName: "AMC", siret: "50321478900019", headerID: 79311},
	{id: 59480, pos: "330160", tradeName: "GARAGE DES CHARTRONS", shortName: "GGE CHARTRONS", siret: "43896521400027", headerID: 79502},
	{id: 59617, pos: "440021", tradeName: "NANTES AUTO ENTRETIEN", shortName: "NAE", siret: "52147896300014", headerID: 79644},
	{id: 59802, pos: "590433", tradeName: "GARAGE MARTIN ET FILS", shortName: "MARTIN & FILS", siret: "38745612900011", headerID: 79871},
	{id: 60015, pos: "670218", tradeName: "AUTO REPARATION ALSACE", shortName: "ARA", siret: "48523697100036", headerID: 80022},
	{id: 60241, pos: "350094", tradeName: "GARAGE DE BRETAGNE", shortName: "GGE BRETAGNE", siret: "53698741200018", headerID: 80208},
	{id: 60388, pos: "060512", tradeName: "RIVIERA AUTOMOBILES", shortName: "RIVIERA AUTO", siret: "42178965300022", headerID: 80377},
}

type member struct {
	id        int
	pos       string
	tradeName string
	shortName string
	siret     string
	headerID  int // campagnes-clients data.id
}
