package x_test

import (
	"context"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/x"
	"github.com/parleyhq/parley/internal/channel/x/xfake"
)

func TestSpend(t *testing.T) {
	counts := map[string]int{x.ChargePostRead: 100, x.ChargeDMSent: 2, x.ChargePostCreatedLink: 1, x.ChargeDMDelivered: 3}
	tests := []struct {
		name   string
		prices string
		counts map[string]int
		want   string
	}{
		// 100×0.005 + 2×0.015 + 0.200 + 3×0.010 = 0.760
		{"list prices", "", counts, "≈ $0.760 at X's list prices"},
		{"own prices", "post read=0.001; DM sent = $0.02", counts, "≈ $0.370 at the inbox's prices"},
		{"JSON", `{"post read": 0.01, "post created with link": 0}`, counts, "≈ $1.06 at the inbox's prices"},
		{"rounding", "", map[string]int{x.ChargePostRead: 1}, "≈ $0.005 at X's list prices"},
		{"dollars", "", map[string]int{x.ChargePostCreatedLink: 1234}, "≈ $246.80 at X's list prices"},
		{"off", "off", counts, ""},
		{"nothing priced", "", map[string]int{"service": 3}, ""},
		{"unreadable", "post read=cheap", counts, ""},
	}
	a := &x.Adapter{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := care.Inbox{Credentials: map[string]string{x.CredPrices: tt.prices}}
			if got := a.Spend(in, tt.counts); got != tt.want {
				t.Errorf("Spend(%q) = %q, want %q", tt.prices, got, tt.want)
			}
		})
	}
}

// Prepare refuses prices it could not apply, naming the problem.
func TestPreparePrices(t *testing.T) {
	tests := []struct {
		prices string
		want   string // "" when accepted
	}{
		{"post read=0.004", ""},
		{"post read=0.004, DM sent=0.01\nDM delivered=.01", ""},
		{`{"DM sent": 0.02}`, ""},
		{"OFF", ""},
		{"post reads=0.004", `"post reads" is not one of X's billed categories`},
		{"post read=-1", "must be dollars"},
		{"post read=0.0000001", "must be dollars"},
		{"post read 0.004", "is not category=price"},
		{`{"post read": "x"`, "not a JSON object"},
	}
	a := &x.Adapter{}
	for _, tt := range tests {
		in := &care.Inbox{ExternalID: brandID, Credentials: map[string]string{x.CredMode: x.ModePoll, x.CredAccessToken: "t", x.CredPrices: tt.prices}}
		err := a.Prepare(in)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("Prepare with prices %q = %v, want accepted", tt.prices, err)
		case tt.want != "" && (care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.want)):
			t.Errorf("Prepare with prices %q = %v, want EINVALID saying %q", tt.prices, err, tt.want)
		}
	}
}

// A public reply with a link is billed apart from one without, as X
// prices them; a DM is a DM either way.
func TestSendCharges(t *testing.T) {
	w := newWorld(t)
	mention := w.fake.AddPost(xfake.Post{AuthorID: anaID, Text: "@acme where is my order?"})
	w.fake.AddDM(xfake.DM{SenderID: anaID, RecipientID: brandID, Text: "hi"})
	tests := []struct {
		key, text, post string
		want            string
	}{
		{"k1", "On its way, Ana.", mention.ID, x.ChargePostCreated},
		{"k2", "Track it at https://acme.com/track/1", mention.ID, x.ChargePostCreatedLink},
		{"k3", "Or see acme.com/help", mention.ID, x.ChargePostCreatedLink},
		{"k4", "Details: https://acme.com/track/1", "", x.ChargeDMSent},
	}
	for _, tt := range tests {
		res, err := w.a.Send(context.Background(), w.reply(tt.key, tt.text, tt.post, anaID))
		if err != nil {
			t.Fatalf("Send %s: %v", tt.key, err)
		}
		if res.Charge != tt.want {
			t.Errorf("Send(%q).Charge = %q, want %q", tt.text, res.Charge, tt.want)
		}
	}
}

// Whatever an admin types as prices, Prepare accepts it or names the
// problem, and an accepted setting prices without failing.
func FuzzPrices(f *testing.F) {
	for _, s := range []string{"", "off", "post read=0.005; DM sent=0.015", `{"post read": 1e3}`, "post read=.5,DM delivered=$2"} {
		f.Add(s)
	}
	a := &x.Adapter{}
	f.Fuzz(func(t *testing.T, prices string) {
		in := &care.Inbox{ExternalID: brandID, Credentials: map[string]string{x.CredMode: x.ModePoll, x.CredAccessToken: "t", x.CredPrices: prices}}
		if err := a.Prepare(in); err != nil {
			if care.ErrorCode(err) != care.EINVALID {
				t.Fatalf("Prepare = %v, want EINVALID", err)
			}
			return
		}
		got := a.Spend(*in, map[string]int{x.ChargePostRead: 3})
		if got != "" && !strings.HasPrefix(got, "≈ $") {
			t.Fatalf("Spend = %q", got)
		}
	})
}
