package phone

import "strings"

// E.164 (ITU-T E.164, 6.2.1) numbers have at most 15 digits, country code
// included, and no country code starts with 0. Seven digits is the shortest
// number in use (some small countries' codes and subscriber numbers);
// anything shorter is an extension or a short code, not a customer.
const (
	minDigits = 7
	maxDigits = 15
)

// E164 reports whether s is a phone number in E.164 form as Parley writes
// it: "+", a digit 1 to 9, then 6 to 14 more digits, nothing else. It is
// the form of the customer's identity on SMS and phone inboxes.
func E164(s string) bool {
	digits, ok := strings.CutPrefix(s, "+")
	if !ok || len(digits) < minDigits || len(digits) > maxDigits || digits[0] == '0' {
		return false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return false
		}
	}
	return true
}

// normalize returns s in E.164 form, accepting the visual separators RFC
// 3966 allows in a global number ("-", ".", "(", ")") and spaces, so
// "+1 (415) 555-0123" is "+14155550123". ok is false for anything that is
// not a global number: a number without its "+" and country code cannot be
// told apart from a national one, and guessing the country would join one
// customer to another.
func normalize(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 64 {
		return "", false
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '+' && i == 0, c >= '0' && c <= '9':
			b.WriteByte(c)
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')':
		default:
			return "", false
		}
	}
	n := b.String()
	return n, E164(n)
}

// withheldMarkers are what telephony systems put in the caller's number
// when the caller withheld it. Twilio writes the keypad spelling of the
// reason as a number: ANONYMOUS +266696687, RESTRICTED +7378742833, BLOCKED
// +2562533, UNKNOWN +8656696, UNAVAILABLE +86282452253
// (help.twilio.com/articles/223179988, "Why am I getting calls from these
// strange numbers?"). Taken for real numbers, they would make every
// anonymous caller one customer.
var withheldMarkers = map[string]bool{
	"": true, "anonymous": true, "restricted": true, "blocked": true, "unknown": true,
	"unavailable": true, "private": true, "withheld": true,
	"+266696687": true, "+7378742833": true, "+2562533": true, "+8656696": true, "+86282452253": true,
	"266696687": true, "7378742833": true, "2562533": true, "8656696": true, "86282452253": true,
}

// withheld reports whether s says the caller's number was withheld.
func withheld(s string) bool {
	return withheldMarkers[strings.ToLower(strings.TrimSpace(s))]
}

// CallLink returns the tel: URI (RFC 3966, "global-number") that dials
// number, for the call link the web UI shows beside a phone contact, or ""
// when number is not a valid E.164 number: "tel:+14155550123". The result
// holds only "tel:+" and digits, so it is safe in an href attribute as is.
func CallLink(number string) string {
	if !E164(number) || withheld(number) {
		return ""
	}
	return "tel:" + number
}
