package foursquare

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
)

func TestParseVenues(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		want []venue
		msg  string // part of the error; "" when valid
	}{
		{soho, []venue{{soho, soho}}, ""},
		{soho + "=Acme Soho", []venue{{soho, "Acme Soho"}}, ""},
		{" " + soho + " = Acme\tSoho ,\n" + brooklyn + "\r\n", []venue{{soho, "Acme Soho"}, {brooklyn, brooklyn}}, ""},
		{soho + "=Acme=Soho", []venue{{soho, "Acme=Soho"}}, ""},
		{soho + "=" + strings.Repeat("é", 80), []venue{{soho, strings.Repeat("é", 48) + "…"}}, ""},
		{"", nil, "venues is required"},
		{" , ,\n", nil, "venues is required"},
		{"../tips", nil, "not a Foursquare place id"},
		{"https://foursquare.com/v/acme/" + soho, nil, "not a Foursquare place id"},
		{soho + "," + soho + "=Again", nil, "twice"},
		{strings.Repeat("a", 65), nil, "not a Foursquare place id"},
		{manyVenues(MaxVenues + 1), nil, "at most 100"},
	} {
		got, err := parseVenues(tt.in)
		if tt.msg == "" {
			if err != nil {
				t.Errorf("parseVenues(%.40q) = %v", tt.in, err)
			} else if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(venue{})); diff != "" {
				t.Errorf("parseVenues(%.40q) (-want +got):\n%s", tt.in, diff)
			}
			continue
		}
		if care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.msg) {
			t.Errorf("parseVenues(%.40q) = %v, want EINVALID with %q", tt.in, err, tt.msg)
		}
	}
}

func manyVenues(n int) string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%024x", i)
	}
	return strings.Join(ids, ",")
}
