package email

import (
	"fmt"
	"slices"
	"strings"

	"github.com/emersion/go-message/mail"
	"golang.org/x/net/publicsuffix"

	"github.com/parleyhq/parley/internal/care"
)

// Anyone can write any From address: the contact an email joins is only
// as sure as the receiving server's SPF, DKIM and DMARC checks, which it
// records in Authentication-Results (RFC 8601). Parley reads them and
// acts on one outcome only, a From domain the checks did not
// authenticate: the message is marked for the agent and starts a
// conversation of its own. A pass, or no verdict, leaves the message as
// it would be without the header — so a field the sender forged can only
// make their own message look worse, which is what makes trusting the
// topmost field by default safe (see trustedAuthResults).
//
// Parley does not verify DKIM itself when no trusted field is there:
// without the connecting IP address SPF cannot be checked, so a
// signature that fails or is missing proves nothing of a domain that
// authorises its mail by SPF alone, while one that passes would change
// nothing; and a DNS query per message would hold the poll's IMAP
// connection open for nothing.

// maxAuthHeaders bounds the Authentication-Results fields looked at: a
// message passes a few receiving servers, and a sender can add thousands.
const maxAuthHeaders = 20

// senderCheck is what the receiving server's checks say of the From
// domain.
type senderCheck struct {
	// failed is set when the checks worked and did not authenticate the
	// From domain: DMARC failed, or nothing passed for the From domain's
	// organisation while a DKIM signature or SPF of it failed, or passed
	// only for another domain (the forger's own). Results that prove
	// nothing alone (none, neutral, temperror, permerror: a domain
	// without SPF or DKIM, a DNS hiccup) do not count: marking them would
	// split a customer's story off for the state of their DNS, not for
	// anything a forger did.
	failed bool
	// why names the results that decided, "dmarc=fail", for the agent.
	why string
}

// checkSender reads the trusted Authentication-Results fields of h about
// fromDomain. trusted are the authserv-ids whose fields are believed;
// none means the topmost field alone.
func checkSender(h mail.Header, fromDomain string, trusted []string) senderCheck {
	if fromDomain == "" {
		return senderCheck{}
	}
	var dmarc, dkim, spf []string       // the results that speak of the From domain, or of nothing
	passed, wrongDomain := false, false // wrongDomain: a check failed for the From domain, or passed for another
	for _, r := range trustedAuthResults(h.Values("Authentication-Results"), trusted) {
		res := r.result
		if !knownResult(res) {
			continue // "dkim_pass", "success": read nothing into them
		}
		switch r.method {
		case "dmarc":
			f := r.props["header.from"]
			if i := strings.LastIndexByte(f, '@'); i >= 0 {
				f = f[i+1:]
			}
			if f != "" && !strings.EqualFold(strings.TrimSuffix(f, "."), fromDomain) {
				continue // another domain's verdict
			}
			if res == "fail" {
				return senderCheck{failed: true, why: "dmarc=fail"}
			}
			if res == "pass" || res == "bestguesspass" {
				passed = true
			}
			dmarc = append(dmarc, "dmarc="+res)
		case "dkim":
			d := r.props["header.d"]
			if d == "" {
				d = domainOf(r.props["header.i"])
			}
			if res == "pass" && aligned(d, fromDomain) {
				passed = true
			} else if res == "pass" {
				res += " for another domain"
				wrongDomain = true
			} else if res == "fail" && aligned(d, fromDomain) {
				wrongDomain = true
			}
			dkim = append(dkim, "dkim="+res)
		case "spf":
			d := r.props["smtp.mailfrom"]
			if d == "" {
				d = r.props["smtp.helo"]
			}
			if i := strings.LastIndexByte(d, '@'); i >= 0 {
				d = d[i+1:]
			}
			if res == "pass" && aligned(d, fromDomain) {
				passed = true
			} else if res == "pass" {
				res += " for another domain"
				wrongDomain = true
			} else if (res == "fail" || res == "softfail" || res == "hardfail") && aligned(d, fromDomain) {
				wrongDomain = true
			}
			spf = append(spf, "spf="+res)
		}
	}
	all := slices.Compact(slices.Concat(dmarc, dkim, spf))
	if passed || !wrongDomain {
		return senderCheck{}
	}
	return senderCheck{failed: true, why: strings.Join(all[:min(len(all), 4)], ", ")}
}

// trustedAuthResults returns the results of the fields to believe among
// values, topmost first. With no trusted authserv-ids it is the topmost
// field alone: receiving servers add theirs at the top, so the topmost
// is the one written by the last server, the inbox's own provider, and
// anything below may come from the sender. Where that provider writes no
// field, the topmost is the sender's; by the rule above, that gains them
// nothing. With trusted ids it is every field one of them wrote, as RFC
// 8601 §7.1 has readers keep a list of servers to believe, each of which
// removes the copies of its own field a sender forged (§5).
func trustedAuthResults(values []string, trusted []string) []authResult {
	if len(values) == 0 {
		return nil
	}
	if len(trusted) == 0 {
		return parseAuthResults(values[0]).results
	}
	var out []authResult
	for _, v := range values[:min(len(values), maxAuthHeaders)] {
		if ar := parseAuthResults(v); ar.id != "" && slices.Contains(trusted, ar.id) {
			out = append(out, ar.results...)
		}
	}
	return out
}

// knownResult reports whether res is a result RFC 8601 and its successors
// define for SPF, DKIM or DMARC, or Microsoft's bestguesspass (DMARC would
// pass had the domain a policy).
func knownResult(res string) bool {
	switch res {
	case "pass", "fail", "softfail", "hardfail", "neutral", "none", "policy", "temperror", "permerror", "bestguesspass":
		return true
	}
	return false
}

// aligned reports whether domain d is the From domain's organisation, as
// DMARC's relaxed alignment has it: news.example.com signs for
// example.com, example.net does not.
func aligned(d, fromDomain string) bool {
	d = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(d), "."))
	if d == "" {
		return false
	}
	if d == fromDomain {
		return true
	}
	a, err1 := publicsuffix.EffectiveTLDPlusOne(d)
	b, err2 := publicsuffix.EffectiveTLDPlusOne(fromDomain)
	return err1 == nil && err2 == nil && a == b
}

// authservIDs reads the authserv_id credential: authserv-ids separated by
// commas or spaces, lower-cased.
func authservIDs(v string) []string {
	ids := strings.FieldsFunc(strings.ToLower(v), func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
	slices.Sort(ids)
	return slices.Compact(ids)
}

// checkAuthservIDs checks the authserv_id credential. It returns EINVALID
// for more than 10 ids or one that is not a host name.
func checkAuthservIDs(v string) error {
	ids := authservIDs(v)
	bad := len(ids) > 10
	for _, id := range ids {
		bad = bad || len(id) > 253 || strings.Trim(id, "abcdefghijklmnopqrstuvwxyz0123456789.-_") != ""
	}
	if bad {
		return care.Errorf(care.EINVALID, "credentials.%s must be the host names the receiving mail server writes in its Authentication-Results (e.g. mx.google.com), at most 10, separated by commas.", CredAuthservID)
	}
	return nil
}

// unverified marks in, from an address whose domain the checks did not
// authenticate: a first line tells the agent, and it starts a conversation
// of its own. A reply's In-Reply-To and References are no proof of who
// wrote it — Message-IDs travel in every copy of a thread, forwards and
// quotes included — so the message does not join a conversation by
// them either.
func unverified(in *care.Inbound, c senderCheck) {
	addr := in.Author.PlatformUserID
	note := fmt.Sprintf("⚠ Not verified: this email says it is from %s, but the receiving mail server could not confirm that %s sent it (%s). "+
		"Check with the customer another way before acting on what it asks.", addr, domainOf(addr), c.why)
	in.Text = cutText(strings.TrimSpace(note+"\n\n"+in.Text), care.MaxTextBytes)
	in.NewThread = true
	in.ReplyToPlatformID = ""
	in.References = nil
}
