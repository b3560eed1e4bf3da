package listen_test

import (
	"fmt"

	"github.com/parleyhq/parley/internal/listen"
)

func ExampleMatcher_Match() {
	settings, err := listen.ParseSettings([]byte(`{"subjects": [
		{"name": "Acme", "own": true, "terms": ["Acme", "Acme Air", "@AcmeHelp"], "exclude": ["acme anvil"]},
		{"name": "Globex", "terms": ["globex", "#GlobexFail"]}
	]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	m := listen.NewMatcher(settings.Subjects)
	for _, text := range []string{
		"Flying Acme-Air today, then Globex home",
		"@acmehelp my bag is lost",
		"#globexfail again",
		"that ACME anvil cartoon",
		"https://acme.example/deals",
	} {
		fmt.Printf("%q\n", m.Match(text))
	}
	fmt.Printf("%q\n", settings.Subjects[0].Query().Terms)
	// Output:
	// ["Acme" "Globex"]
	// ["Acme"]
	// ["Globex"]
	// []
	// []
	// ["acme" "acme air" "@acmehelp"]
}
