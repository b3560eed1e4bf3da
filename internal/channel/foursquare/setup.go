package foursquare

import (
	"strconv"
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Bounds of a Service API Key as Parley accepts it: Foursquare does not
// document its shape, so only what could break a header is refused.
const (
	minKeyBytes = 16
	maxKeyBytes = 512
)

// Prepare validates a new Foursquare inbox and writes its venues back in
// their canonical form. It returns EINVALID naming what is wrong: a
// missing or malformed api_key, venues that are not place ids, a
// poll_minutes outside 5 to 1440, a bad api_base.
func (a *Adapter) Prepare(in *care.Inbox) error {
	if in.Credentials == nil {
		in.Credentials = map[string]string{}
	}
	c := in.Credentials
	if k := c[CredAPIKey]; len(k) < minKeyBytes || len(k) > maxKeyBytes || strings.ContainsFunc(k, func(r rune) bool { return r <= ' ' || r > '~' }) {
		return care.Errorf(care.EINVALID, "credentials.api_key is required: a Service API Key from the Foursquare Developer Console (your project → API Settings).")
	}
	venues, err := parseVenues(c[CredVenues])
	if err != nil {
		return err
	}
	if _, ok := pollMinutes(*in); !ok {
		return care.Errorf(care.EINVALID, "credentials.poll_minutes must be a number of minutes from %d to %d; the default is %d.", minPollMinutes, maxPollMinutes, defaultPollMinutes)
	}
	if c[CredAPIBase] != "" {
		if _, err := a.baseURL(*in); err != nil {
			return err
		}
	}
	c[CredVenues] = formatVenues(venues)
	return nil
}

// formatVenues writes venues as the credential holds them.
func formatVenues(vs []venue) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = v.id
		if v.label != v.id {
			parts[i] += "=" + v.label
		}
	}
	return strings.Join(parts, ", ")
}

// Instructions says what the inbox polls and what it costs: Foursquare
// pushes nothing, so there is nothing to paste into its console.
func (a *Adapter) Instructions(in care.Inbox, webhookURL string) []channel.Instruction {
	n, _ := pollMinutes(in)
	venues, err := parseVenues(in.Credentials[CredVenues])
	list := "none: add credentials.venues"
	if err == nil {
		names := make([]string, len(venues))
		for i, v := range venues {
			names[i] = v.label
		}
		list = strings.Join(names, ", ")
	}
	calls := len(venues) * (30 * 24 * 60 / n)
	return []channel.Instruction{
		{Label: "Places", Value: list},
		{Label: "Polling", Value: "every " + strconv.Itoa(n) + " minutes: one Get Place Tips call per place, about " + strconv.Itoa(calls) + " calls a month, billed by Foursquare"},
		{Label: "Foursquare setup", Value: "none beyond the Service API Key: the Places API has no webhooks"},
		{Label: "Replies", Value: "not possible: the Places API cannot answer tips, and tips do not say who wrote them"},
	}
}
