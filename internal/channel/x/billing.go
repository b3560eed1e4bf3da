package x

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// X bills its API by use (docs.x.com x-api/getting-started/pricing): each
// post or DM event a read returns, each post created (dearer when it holds
// a link), each DM sent; and, for the X Activity API, each event its
// webhook delivers (x-api/activity/event-pricing: post.* events $0.005,
// dm.received $0.01; dm.sent and post.delete are not billed). X does not
// document a per-event price for the Account Activity API, whose posts
// count only toward the monthly post cap, so its deliveries are not
// counted. Parley counts each category per inbox per month on the health
// line, once per message stored.
const (
	ChargePostRead        = "post read"
	ChargeDMRead          = "DM event read"
	ChargePostCreated     = "post created"
	ChargePostCreatedLink = "post created with link"
	ChargeDMSent          = "DM sent"
	ChargePostDelivered   = "post delivered"
	ChargeDMDelivered     = "DM delivered"
)

// CredPrices sets what each billed category costs the inbox, in US
// dollars, replacing the defaults category by category: "post read=0.005;
// DM sent=0.015" (";" or "," between pairs), a JSON object of the same, or
// "off" for counts without money (an Enterprise contract, say).
const CredPrices = "prices"

// defaultPrices are X's pay-per-use list prices in millionths of a dollar,
// as docs.x.com's pricing and X Activity API event pricing pages gave them
// on 24 November 2026. X's own discounts are not modelled: owned reads
// ($0.001 for the App owner's own account) and its once-per-UTC-day
// deduplication of repeated reads.
var defaultPrices = map[string]int64{
	ChargePostRead:        5_000,
	ChargeDMRead:          10_000,
	ChargePostCreated:     15_000,
	ChargePostCreatedLink: 200_000,
	ChargeDMSent:          15_000,
	ChargePostDelivered:   5_000,
	ChargeDMDelivered:     10_000,
}

// parsePrices reads a prices credential into millionths of a dollar by
// category, over the defaults. off reports "off". It returns EINVALID naming
// an unknown category or a price that is not a non-negative decimal.
func parsePrices(s string) (prices map[string]int64, off bool, err error) {
	prices = make(map[string]int64, len(defaultPrices))
	for c, p := range defaultPrices {
		prices[c] = p
	}
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "off") {
		return nil, true, nil
	}
	pairs := map[string]string{}
	if strings.HasPrefix(s, "{") {
		var raw map[string]json.Number
		d := json.NewDecoder(strings.NewReader(s))
		d.UseNumber()
		if err := d.Decode(&raw); err != nil {
			return nil, false, care.Errorf(care.EINVALID, "credentials.prices is not a JSON object of prices.")
		}
		for k, v := range raw {
			pairs[k] = v.String()
		}
	} else {
		for part := range strings.FieldsFuncSeq(s, func(r rune) bool { return r == ';' || r == ',' || r == '\n' }) {
			k, v, ok := strings.Cut(part, "=")
			if !ok {
				return nil, false, care.Errorf(care.EINVALID, "credentials.prices: %q is not category=price.", channel.Cut(strings.TrimSpace(part), 40))
			}
			pairs[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	for k, v := range pairs {
		if _, known := defaultPrices[k]; !known {
			return nil, false, care.Errorf(care.EINVALID, "credentials.prices: %q is not one of X's billed categories (%s).", channel.Cut(k, 40), strings.Join(chargeCategories(), ", "))
		}
		p, ok := micros(strings.TrimPrefix(v, "$"))
		if !ok {
			return nil, false, care.Errorf(care.EINVALID, "credentials.prices: the price of %s must be dollars, such as 0.005.", k)
		}
		prices[k] = p
	}
	return prices, false, nil
}

func chargeCategories() []string {
	cs := make([]string, 0, len(defaultPrices))
	for c := range defaultPrices {
		cs = append(cs, c)
	}
	sort.Strings(cs)
	return cs
}

// micros parses a non-negative decimal of dollars, under $1,000 and with
// at most six decimals, into millionths, without floating point; the bound
// keeps a month's total far from overflowing.
func micros(s string) (int64, bool) {
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" || len(frac) > 6 || len(whole) > 3 {
		return 0, false
	}
	digits := func(t string) bool { return strings.Trim(t, "0123456789") == "" }
	if !digits(whole) || !digits(frac) {
		return 0, false
	}
	var n int64
	if whole != "" {
		w, err := strconv.ParseInt(whole, 10, 64)
		if err != nil {
			return 0, false
		}
		n = w * 1_000_000
	}
	if frac != "" {
		f, err := strconv.ParseInt(frac+strings.Repeat("0", 6-len(frac)), 10, 64)
		if err != nil {
			return 0, false
		}
		n += f
	}
	return n, true
}

// Spend prices this month's counts with the inbox's prices: "≈ $0.42 at
// X's list prices", or "at the inbox's prices" when it sets its own. It
// returns "" when the inbox's prices are "off" or unreadable.
func (a *Adapter) Spend(in care.Inbox, counts map[string]int) string {
	setting := in.Credentials[CredPrices]
	prices, off, err := parsePrices(setting)
	if off || err != nil {
		return ""
	}
	var total int64
	priced := false
	for c, n := range counts {
		if p, ok := prices[c]; ok {
			total += p * int64(n)
			priced = true
		}
	}
	if !priced {
		return ""
	}
	source := "X's list prices"
	if strings.TrimSpace(setting) != "" {
		source = "the inbox's prices"
	}
	return "≈ " + dollars(total) + " at " + source
}

// dollars formats millionths of a dollar: to the cent from a dollar up, to
// a tenth of a cent below, where single calls are priced.
func dollars(m int64) string {
	if m >= 1_000_000 {
		c := (m + 5_000) / 10_000
		return fmt.Sprintf("$%d.%02d", c/100, c%100)
	}
	mil := (m + 500) / 1_000
	return fmt.Sprintf("$%d.%03d", mil/1000, mil%1000)
}
