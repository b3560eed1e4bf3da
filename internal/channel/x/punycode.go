package x

import "strings"

// punycode encodes a label's code points as RFC 3492 Punycode (without the
// "xn--" prefix), which is what an IDN host label becomes in ASCII; only its
// length matters here, for the 63-character label limit. ok is false if the
// encoding would overflow, as RFC 3492 §6.4 requires.
func punycode(label string) (enc string, ok bool) {
	const (
		base        = 36
		tmin        = 1
		tmax        = 26
		skew        = 38
		damp        = 700
		initialBias = 72
		initialN    = 128
		maxInt      = 1<<31 - 1
	)
	var b strings.Builder
	runes := []rune(label)
	basic := 0
	for _, r := range runes {
		if r < 0x80 {
			b.WriteByte(byte(r))
			basic++
		}
	}
	h := basic
	if basic > 0 {
		b.WriteByte('-')
	}
	n, delta, bias := initialN, 0, initialBias
	adapt := func(delta, points int, first bool) int {
		if first {
			delta /= damp
		} else {
			delta /= 2
		}
		delta += delta / points
		k := 0
		for delta > ((base-tmin)*tmax)/2 {
			delta /= base - tmin
			k += base
		}
		return k + (base-tmin+1)*delta/(delta+skew)
	}
	digit := func(d int) byte {
		if d < 26 {
			return byte('a' + d)
		}
		return byte('0' + d - 26)
	}
	for h < len(runes) {
		m := maxInt
		for _, r := range runes {
			if int(r) >= n && int(r) < m {
				m = int(r)
			}
		}
		if (m - n) > (maxInt-delta)/(h+1) {
			return "", false
		}
		delta += (m - n) * (h + 1)
		n = m
		for _, r := range runes {
			if int(r) < n {
				if delta++; delta > maxInt-1 {
					return "", false
				}
			}
			if int(r) != n {
				continue
			}
			q := delta
			for k := base; ; k += base {
				t := k - bias
				switch {
				case t < tmin:
					t = tmin
				case t > tmax:
					t = tmax
				}
				if q < t {
					break
				}
				b.WriteByte(digit(t + (q-t)%(base-t)))
				q = (q - t) / (base - t)
			}
			b.WriteByte(digit(q))
			bias = adapt(delta, h+1, h == basic)
			delta = 0
			h++
		}
		delta++
		n++
	}
	return b.String(), true
}
