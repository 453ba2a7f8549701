package fake

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Column is one folder column: id (as getColumns shows), technical key (as
// getValuesByIds "name" shows, and as filters name it) and label.
type Column struct {
	ID    string
	Key   string
	Label string
}

// Column keys of the seeded folders.
const (
	ColClient     = "client.nom"
	ColCreated    = "dateCreation"
	ColStatus     = "statut"
	ColCommercial = "commercial"
	ColPhone      = "telephone"
	ColAddress    = "adresse"
	ColPostalCode = "codePostal"
	ColCity       = "ville"
	ColPower      = "puissanceKc"
	ColPrice      = "prixHT"
	ColEmail      = "email"
	ColCompanion  = "commercial.accompagnant"
)

// Columns are the folder columns every fake serves, in display order. The
// first three ids and labels are those of the guide's examples.
var Columns = []Column{
	{"col1", ColClient, "Nom du client"},
	{"col2", ColCreated, "Date de création"},
	{"col3", ColStatus, "Statut du dossier"},
	{"col4", ColCommercial, "Commercial"},
	{"col5", ColPhone, "Téléphone"},
	{"col6", ColAddress, "Adresse"},
	{"col7", ColPostalCode, "Code postal"},
	{"col8", ColCity, "Ville"},
	{"col9", ColPower, "Puissance (kWc)"},
	{"col10", ColPrice, "Prix HT"},
	{"col11", ColEmail, "Email"},
	{"col12", ColCompanion, "Commercial accompagnant"},
}

// DottedColumns are Columns under the other key style (KeysDotted): the same
// ids, keys prefixed by their record ("client.telephone",
// "dossier.dateCreation") and other labels.
var DottedColumns = []Column{
	{"col1", "client.nomComplet", "Client"},
	{"col2", "dossier.dateCreation", "Créé le"},
	{"col3", "dossier.statut", "Étape"},
	{"col4", "dossier.commercial", "Commercial responsable"},
	{"col5", "client.telephone", "Tél. client"},
	{"col6", "client.adresse", "Adresse du chantier"},
	{"col7", "client.codePostal", "CP"},
	{"col8", "client.ville", "Commune"},
	{"col9", "installation.puissanceKc", "Puissance installée"},
	{"col10", "dossier.prixHT", "Montant HT"},
	{"col11", "client.email", "Courriel"},
	{"col12", "dossier.commercialAccompagnant", "Commercial accompagnant"},
}

// ExamplePhone is the phone of the first seeded folder: the caller that
// the documented contact(phone: "06 12 34 56 78") example finds.
const ExamplePhone = "0612345678"

// Statuses a seeded folder can have.
var Statuses = []string{"Nouveau", "Visite technique", "Devis envoyé", "Signé", "Installé", "Raccordé", "Annulé"}

// Team is a seeded team.
type Team struct {
	ID, Name, Description, Color string
}

// User is a seeded user; inactive users are never listed by getUsers but
// may still be the commercial of old folders.
type User struct {
	ID, TeamID, FirstName, LastName, Email string
	Active                                 bool
}

// Folder is a seeded folder: its id and its values by column key (a missing
// key is a null value).
type Folder struct {
	ID     string
	Values map[string]string
}

// Prospect is a stored prospect: its arguments as last written (GraphQL
// argument name → value; absent means never set) and whether it was
// converted (a converted prospect can no longer be updated).
type Prospect struct {
	ID        string
	Converted bool
	Fields    map[string]any
}

type dataset struct {
	teams     []Team
	users     []User
	folders   []Folder
	byFolder  map[string]int
	prospects map[string]*Prospect
	order     []string
	rng       *rand.Rand
}

var (
	firstNames = []string{"Jean", "Marie", "Pierre", "Sophie", "Luc", "Camille", "Hélène", "Nicolas", "Julie", "Thomas",
		"Élodie", "François", "Isabelle", "Antoine", "Chloé", "Mathieu", "Céline", "Olivier", "Manon", "Marvin",
		"Sébastien", "Laure", "Jean-Pierre", "Anne-Sophie", "Gaëlle", "Yann", "Nathalie", "Rémi", "Inès", "Octavia"}
	lastNames = []string{"Dupont", "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
		"Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent",
		"Fournier", "Morel", "Girard", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Butler", "Saint-Jean"}
	companies = []string{"SARL Soleil du Sud", "SCI Les Tilleuls", "GAEC de la Plaine", "EARL Vignes et Soleil", "SAS Hangar Ariège",
		"Boulangerie Martin", "Garage du Centre", "Camping Les Pins"}
	streets = []string{"rue des Lilas", "avenue Jean Jaurès", "chemin de la Forêt", "boulevard Victor Hugo", "impasse des Vignes",
		"route de Toulouse", "Fb saint-jean", "place de la Mairie", "allée des Peupliers", "rue Pasteur"}
	cities = []struct{ Name, CP string }{
		{"Pamiers", "09100"}, {"Foix", "09000"}, {"Toulouse", "31000"}, {"Bordeaux", "33000"}, {"Montpellier", "34000"},
		{"Perpignan", "66000"}, {"Carcassonne", "11000"}, {"Albi", "81000"}, {"Tarbes", "65000"}, {"Pau", "64000"},
		{"Lyon", "69001"}, {"Nantes", "44000"}, {"Marseille", "13001"}, {"Nîmes", "30000"}, {"Agen", "47000"},
	}
	teamDefs = []Team{
		{"1", "Équipe A", "La première équipe", "#ff0000"},
		{"2", "Équipe B", "La deuxième équipe", "#00ff00"},
		{"3", "Équipe Occitanie", "Commerciaux terrain Occitanie", "#0000ff"},
		{"4", "Équipe Nouvelle-Aquitaine", "Commerciaux terrain Nouvelle-Aquitaine", "#ff9900"},
		{"5", "Équipe Grands comptes", "Toitures professionnelles et agricoles", "#9933cc"},
	}
)

// cuid makes an id shaped like Clavus's (e.g. clsc618zi01qbwjw3m1hw93ge).
func cuid(r *rand.Rand) string {
	const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
	b := make([]byte, 25)
	b[0] = 'c'
	for i := 1; i < len(b); i++ {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func asciiLower(s string) string {
	return strings.NewReplacer("é", "e", "è", "e", "ë", "e", "ê", "e", "à", "a", "ç", "c", "ï", "i", "î", "i", "ô", "o", " ", "", "'", "").
		Replace(strings.ToLower(s))
}

// phoneForm writes a French national number ("0612345678") in the i-th of
// the forms people store.
func phoneForm(national string, i int) string {
	pairs := func(sep string) string {
		var b strings.Builder
		for j := 0; j < len(national); j += 2 {
			if j > 0 {
				b.WriteString(sep)
			}
			b.WriteString(national[j:min(j+2, len(national))])
		}
		return b.String()
	}
	switch i % 5 {
	case 1:
		return pairs(" ")
	case 2:
		return pairs(".")
	case 3:
		nsn := national[1:]
		return "+33 " + nsn[:1] + " " + pairs(" ")[3:]
	case 4:
		return "33" + national[1:]
	}
	return national
}

func generate(seed int64, nFolders int, phoneForms bool) *dataset {
	r := rand.New(rand.NewPCG(uint64(seed), 0xC1A7))
	d := &dataset{byFolder: map[string]int{}, prospects: map[string]*Prospect{}, rng: r}
	d.teams = append(d.teams, teamDefs...)
	n := 0
	for _, t := range d.teams {
		for i := range 5 {
			n++
			fn, ln := pick(r, firstNames), pick(r, lastNames)
			d.users = append(d.users, User{
				ID: fmt.Sprintf("user%d", n), TeamID: t.ID, FirstName: fn, LastName: ln,
				Email:  fmt.Sprintf("%s.%s@clavus-demo.fr", asciiLower(fn), asciiLower(ln)),
				Active: i < 4,
			})
		}
	}
	phones := map[string]bool{ExamplePhone: true}
	start := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range nFolders {
		fn, ln := pick(r, firstNames), pick(r, lastNames)
		client := fn + " " + ln
		company := r.IntN(8) == 0
		if company {
			client = pick(r, companies)
		}
		var phone string
		for phone == "" || phones[phone] {
			prefix := pick(r, []string{"06", "07", "06", "05", "01", "04"})
			phone = fmt.Sprintf("%s%08d", prefix, r.IntN(100_000_000))
		}
		phones[phone] = true
		if i == 0 {
			// Drawn all the same, so the rest of the data does not move.
			phone = ExamplePhone
		}
		if phoneForms {
			phone = phoneForm(phone, i)
		}
		city := pick(r, cities)
		comm := pick(r, d.users)
		power := float64(3+r.IntN(34)) + float64(r.IntN(2))*0.5
		if company {
			power = float64(36 + r.IntN(265))
		}
		v := map[string]string{
			ColClient:     client,
			ColCreated:    start.AddDate(0, 0, i*1000/nFolders+r.IntN(3)).Format("2006-01-02"),
			ColStatus:     pick(r, Statuses),
			ColCommercial: comm.ID,
			ColPhone:      phone,
			ColAddress:    fmt.Sprintf("%d %s", 1+r.IntN(120), pick(r, streets)),
			ColPostalCode: city.CP,
			ColCity:       city.Name,
			ColPower:      trimFloat(power),
			ColPrice:      fmt.Sprintf("%.2f", power*(1500+float64(r.IntN(800)))),
			ColEmail:      fmt.Sprintf("%s.%s%d@example.fr", asciiLower(fn), asciiLower(ln), i),
		}
		if r.IntN(3) == 0 {
			v[ColCompanion] = pick(r, d.users).FirstName
		}
		f := Folder{ID: cuid(r), Values: v}
		d.byFolder[f.ID] = len(d.folders)
		d.folders = append(d.folders, f)
	}
	for i := range 60 {
		fn, ln := pick(r, firstNames), pick(r, lastNames)
		city := pick(r, cities)
		typ := "PHYSICAL"
		if i%5 == 0 {
			typ = "MORAL"
		}
		p := &Prospect{ID: cuid(r), Converted: i%4 == 3, Fields: map[string]any{
			"firstName": fn, "lastName": ln,
			"address":    fmt.Sprintf("%d %s", 1+r.IntN(120), pick(r, streets)),
			"postalCode": city.CP,
			"email":      fmt.Sprintf("%s.%s@example.fr", asciiLower(fn), asciiLower(ln)),
			"phone":      fmt.Sprintf("06%08d", r.IntN(100_000_000)),
			"type":       typ,
		}}
		d.prospects[p.ID] = p
		d.order = append(d.order, p.ID)
	}
	return d
}

func trimFloat(f float64) string {
	s := fmt.Sprintf("%.1f", f)
	return strings.TrimSuffix(s, ".0")
}

// Teams returns the seeded teams.
func (s *Server) Teams() []Team {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Team(nil), s.data.teams...)
}

// Users returns every seeded user, active or not.
func (s *Server) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]User(nil), s.data.users...)
}

// Folders returns every folder in storage order (copies).
func (s *Server) Folders() []Folder {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Folder, len(s.data.folders))
	for i, f := range s.data.folders {
		out[i] = copyFolder(f)
	}
	return out
}

// Folder returns one folder.
func (s *Server) Folder(id string) (Folder, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.data.byFolder[id]
	if !ok {
		return Folder{}, false
	}
	return copyFolder(s.data.folders[i]), true
}

func copyFolder(f Folder) Folder {
	v := make(map[string]string, len(f.Values))
	for k, x := range f.Values {
		v[k] = x
	}
	return Folder{ID: f.ID, Values: v}
}

// Prospects returns every stored prospect, oldest first.
func (s *Server) Prospects() []Prospect {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Prospect, 0, len(s.data.order))
	for _, id := range s.data.order {
		out = append(out, copyProspect(s.data.prospects[id]))
	}
	return out
}

// Prospect returns one stored prospect.
func (s *Server) Prospect(id string) (Prospect, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.data.prospects[id]
	if !ok {
		return Prospect{}, false
	}
	return copyProspect(p), true
}

// SetConverted marks a prospect converted (or not), as the ERP does when a
// prospect becomes a customer folder. It reports whether the prospect exists.
func (s *Server) SetConverted(id string, converted bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.data.prospects[id]
	if ok {
		p.Converted = converted
	}
	return ok
}

func copyProspect(p *Prospect) Prospect {
	f := make(map[string]any, len(p.Fields))
	for k, v := range p.Fields {
		f[k] = v
	}
	return Prospect{ID: p.ID, Converted: p.Converted, Fields: f}
}
