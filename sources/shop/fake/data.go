package fake

import (
	"fmt"
	"math/rand/v2"
	"time"

	"switchboard/sources/internal/clock"
)

// prestation is a catalogue entry.
type prestation struct {
	Code       string
	Name       string
	Short      string
	Long       string
	Price      float64
	Associated []string
	// form: adding it to an existing interface sends a project form.
	form bool
}

func catalogue() []prestation {
	sub := func(code, name string, price float64, setup string) prestation {
		return prestation{Code: code, Name: name, Price: price, Associated: []string{setup},
			Short: "Abonnement : hébergement, mises à jour, sauvegardes et support inclus.",
			Long:  "<p>L'abonnement couvre l'hébergement de votre site, les mises à jour de sécurité, les sauvegardes quotidiennes et l'accès au support par téléphone et par e-mail.</p><p>Sans engagement au-delà de la période en cours.</p>"}
	}
	setup := func(code, name, short string, price float64, subs ...string) prestation {
		return prestation{Code: code, Name: name, Short: short, Price: price, Associated: subs,
			Long: "<p>" + short + "</p><ul><li>Installation et paramétrage de l'interface</li><li>Choix du thème graphique</li><li>Formulaire de création de projet envoyé au client</li></ul>"}
	}
	opt := func(code, name, short string, price float64, assoc ...string) prestation {
		return prestation{Code: code, Name: name, Short: short, Price: price, Associated: assoc,
			Long: "<p>" + short + "</p>"}
	}
	return []prestation{
		setup("IN-VITR-S", "Site vitrine — mise en place", "Un site vitrine clé en main pour présenter votre activité.", 390, "IN-VITR-AMM", "IN-VITR-AMA"),
		setup("IN-ECO-S", "Boutique en ligne Éco — installation", "Une boutique en ligne simple pour vendre jusqu'à 200 articles.", 490, "IN-ECO-AMM", "IN-ECO-AMA"),
		setup("IN-PRO-S", "Boutique en ligne Pro — installation", "La boutique complète : catalogue illimité, promotions, multi-transporteurs.", 990, "IN-PRO-AMM", "IN-PRO-AMA"),
		setup("IN-BTQST-S", "Boutique Standard — installation", "La boutique standard synchronisée avec votre logiciel de gestion.", 490, "IN-BTQZ-AMM", "IN-BTQZ-AMA"),
		setup("IN-CAISSE-S", "Caisse connectée — installation", "Votre caisse en magasin reliée à votre site : stocks et clients communs.", 690, "IN-CAISSE-AMM"),
		sub("IN-VITR-AMM", "Abonnement site vitrine — mensuel", 29, "IN-VITR-S"),
		sub("IN-VITR-AMA", "Abonnement site vitrine — annuel", 290, "IN-VITR-S"),
		sub("IN-ECO-AMM", "Abonnement boutique Éco — mensuel", 49, "IN-ECO-S"),
		sub("IN-ECO-AMA", "Abonnement boutique Éco — annuel", 490, "IN-ECO-S"),
		sub("IN-PRO-AMM", "Abonnement boutique Pro — mensuel", 99, "IN-PRO-S"),
		sub("IN-PRO-AMA", "Abonnement boutique Pro — annuel", 990, "IN-PRO-S"),
		sub("IN-BTQZ-AMM", "Abonnement boutique Standard — mensuel", 59, "IN-BTQST-S"),
		sub("IN-BTQZ-AMA", "Abonnement boutique Standard — annuel", 590, "IN-BTQST-S"),
		sub("IN-CAISSE-AMM", "Abonnement caisse connectée — mensuel", 39, "IN-CAISSE-S"),
		opt("MO-ARTCRITERES-S", "Module critères articles", "Filtrez vos articles par taille, couleur, matière et tout critère personnalisé.", 150),
		{Code: "MO-ECOM-S", Name: "Ajout du module e-commerce", Short: "Transformez votre site vitrine en boutique en ligne.", Long: "<p>Ajoutez panier, paiement sécurisé et gestion des commandes à votre site existant.</p>", Price: 350, Associated: []string{"MO-ECOM-AMM", "IN-VITR-AMM", "IN-VITR-AMA", "IN-BTQZ-AMM", "IN-BTQZ-AMA"}, form: true},
		opt("MO-ECOM-AMM", "Abonnement module e-commerce — mensuel", "Paiement en ligne, gestion des commandes et des livraisons.", 30, "MO-ECOM-S"),
		opt("MO-MULTILANG-S", "Module multilingue", "Traduisez votre site en plusieurs langues.", 190, "MO-MULTILANG-AMM"),
		opt("MO-MULTILANG-AMM", "Abonnement module multilingue — mensuel", "Langues supplémentaires et traduction assistée.", 15, "MO-MULTILANG-S"),
		opt("MO-NEWSLETTER-S", "Module newsletter", "Envoyez vos lettres d'information depuis l'espace d'administration.", 60, "MO-NEWSLETTER-AMM"),
		opt("MO-NEWSLETTER-AMM", "Abonnement newsletter — mensuel", "Jusqu'à 5 000 envois par mois.", 19, "MO-NEWSLETTER-S"),
		opt("MO-BLOG-S", "Module blog", "Publiez actualités et conseils pour votre référencement.", 90),
		opt("MO-FIDELITE-S", "Programme de fidélité", "Points, remises et cartes cadeaux pour vos clients fidèles.", 120),
		opt("OP-NDD-AMA", "Nom de domaine — annuel", "Réservation et renouvellement de votre nom de domaine en .fr ou .com.", 15),
		opt("OP-SSL-AMA", "Certificat SSL étendu — annuel", "Certificat à validation étendue pour rassurer vos clients.", 49),
		opt("OP-PAGE", "Page supplémentaire", "Une page de contenu mise en forme par nos équipes.", 60),
		opt("OP-LOGO", "Création de logo", "Trois propositions de logo et deux séries de retouches.", 250),
		opt("OP-FORM-2H", "Formation — 2 heures", "Formation à distance à l'administration de votre site.", 180),
		opt("OP-SEO-AUDIT", "Audit de référencement", "Analyse complète et plan d'action pour votre référencement naturel.", 290),
		opt("OP-IMPORT-CSV", "Import de catalogue", "Import de vos articles depuis un fichier CSV ou Excel.", 120),
		opt("OP-MAINT-H", "Heure de maintenance", "Une heure d'intervention de nos techniciens sur votre site.", 75),
	}
}

var (
	activities = []string{"boulangerie", "fleuriste", "garage", "cave", "librairie", "salon", "boucherie", "fromagerie", "epicerie", "atelier", "pharmacie", "opticien", "bijouterie", "creperie", "brasserie", "ferme", "chocolaterie", "pressing", "auto-ecole", "camping", "menuiserie", "quincaillerie"}
	surnames   = []string{"martin", "bernard", "dubois", "thomas", "robert", "richard", "petit", "durand", "leroy", "moreau", "simon", "laurent", "lefebvre", "michel", "garcia", "david", "bertrand", "roux", "vincent", "fournier", "morel", "girard", "andre", "mercier", "dupont", "lambert", "bonnet", "francois"}
	towns      = []string{"lyon", "nantes", "bordeaux", "lille", "rennes", "toulouse", "annecy", "chambery", "grenoble", "dijon", "brest", "nice", "tours", "angers", "reims", "metz", "nancy", "rouen", "caen", "limoges"}
	// extras are what seeded interfaces get besides their setup, as groups
	// that respect the associations.
	extras = [][]string{
		{"MO-ARTCRITERES-S"}, {"MO-BLOG-S"}, {"MO-FIDELITE-S"}, {"OP-NDD-AMA"}, {"OP-SSL-AMA"},
		{"OP-PAGE"}, {"OP-PAGE", "OP-PAGE"}, {"OP-LOGO"}, {"OP-FORM-2H"}, {"OP-SEO-AUDIT"},
		{"OP-IMPORT-CSV"}, {"OP-MAINT-H"}, {"MO-MULTILANG-S", "MO-MULTILANG-AMM"},
		{"MO-NEWSLETTER-S", "MO-NEWSLETTER-AMM"},
	}
	seedStart = time.Date(2016, 1, 1, 0, 0, 0, 0, clock.Paris)
	seedEnd   = time.Date(2025, 6, 30, 0, 0, 0, 0, clock.Paris)
)

func between(rng *rand.Rand, a, b time.Time) time.Time {
	return a.Add(time.Duration(rng.Int64N(int64(b.Sub(a))))).Truncate(time.Second)
}

func uuid(rng *rand.Rand) string {
	var b [16]byte
	for i := range b {
		b[i] = byte(rng.UintN(256))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// seed fills the server with n interfaces; now dates the disabled and
// pending ones.
func (s *Server) seed(n int, now time.Time) {
	setups := []string{"IN-VITR-S", "IN-ECO-S", "IN-ECO-S", "IN-PRO-S", "IN-BTQST-S", "IN-BTQST-S", "IN-CAISSE-S"}
	used := map[string]bool{}
	for range n {
		rng := s.rng
		sub := activities[rng.IntN(len(activities))] + "-" + surnames[rng.IntN(len(surnames))]
		if rng.IntN(2) == 0 {
			sub += "-" + towns[rng.IntN(len(towns))]
		}
		for i := 2; used[sub]; i++ {
			sub = fmt.Sprintf("%s%d", sub, i)
		}
		used[sub] = true
		it := &iface{key: uuid(rng), guid: fmt.Sprintf("CRM-%06d", 100000+rng.IntN(900000)), created: between(rng, seedStart, seedEnd), status: StatusActive}
		switch r := rng.IntN(100); {
		case r < 70:
		case r < 80:
			it.deletionAt = now.Add(-time.Duration(1+rng.IntN(80)) * 24 * time.Hour).Add(deletionDelay).Truncate(time.Second)
		case r < 90:
			it.deletionAt = between(rng, it.created.Add(deletionDelay), seedEnd.Add(deletionDelay))
		default:
			it.status = StatusPending
			it.created = now.Add(-time.Duration(1+rng.IntN(20*24)) * time.Hour).Truncate(time.Second)
		}
		if it.status == StatusPending {
			it.formURL = "https://formulaire.shop-application.io/projet/" + it.key
		} else if rng.IntN(4) == 0 {
			it.url = "https://www." + sub + ".fr"
		} else {
			it.url = "https://" + sub + ".shop-application.io"
		}
		if it.url != "" {
			it.adminURL = it.url + "/superadmin/"
		}
		setup := setups[rng.IntN(len(setups))]
		assoc := s.byCode[setup].Associated
		s.addLine(it, setup, it.created)
		s.addLine(it, assoc[rng.IntN(len(assoc))], it.created)
		if it.status != StatusPending {
			for range rng.IntN(4) {
				at := between(rng, it.created, seedEnd.Add(24*time.Hour))
				for _, code := range extras[rng.IntN(len(extras))] {
					l := s.addLine(it, code, at)
					if rng.IntN(7) == 0 {
						l.cancelledAt = between(rng, at, seedEnd.Add(48*time.Hour))
					}
				}
			}
		}
		s.add(it)
	}
}
