package bluesky

import (
	"crypto/sha256"
	"encoding/binary"
	"time"
)

// Idempotency. createRecord takes the record key (rkey) of the new record,
// optional, at most 15 characters (lexicon com.atproto.repo.createRecord),
// and a repository holds one record per key: a second create at the same
// key is refused. Posts' keys are TIDs (lexicon app.bsky.feed.post, key
// "tid"), so Send derives a TID from the reply's IdempotencyKey: every
// attempt to send one reply creates the same record key, and an attempt
// after one whose answer was lost cannot post twice.
//
// How the refusal reads is not settled. The lexicon documents no error for
// it and Bluesky's PDS answers 500 InternalServerError
// (github.com/bluesky-social/atproto/issues/3718, open); a dedicated error
// is proposed (atproto pull request 4728). So Send does not rely on the
// answer: after a 5xx, or an error whose name or message says the record
// exists, it reads the key back with com.atproto.repo.getRecord, and a
// record there is the reply, sent.
//
// A TID (atproto.com/specs/tid) is 64 bits, written as 13 characters of
// base32-sortable: a zero bit, 53 bits of microseconds since the Unix
// epoch, 10 bits of clock id. recordKey uses the reply's creation time to
// the millisecond, so keys sort roughly as the replies were written, with
// sub-millisecond digits and the clock id taken from a hash of the
// idempotency key: two replies share a key only if they were created in
// the same millisecond and 20 bits of their hashes agree.

const tidAlphabet = "234567abcdefghijklmnopqrstuvwxyz"

// tidFallback is the time used for a reply without a creation time.
var tidFallback = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// recordKey returns the record key for the reply with idempotency key key,
// created at created.
func recordKey(key string, created time.Time) string {
	h := sha256.Sum256([]byte("parley/bluesky/rkey\x00" + key))
	if created.Before(earliest) || created.Year() >= 2200 {
		// Spread keys over a year rather than share one instant.
		created = tidFallback.Add(time.Duration(binary.BigEndian.Uint32(h[4:8])%(365*86400)) * time.Second)
	}
	micros := uint64(created.UnixMilli())*1000 + uint64(binary.BigEndian.Uint16(h[0:2])%1000)
	clock := uint64(binary.BigEndian.Uint16(h[2:4]) & 0x3ff)
	return encodeTID(micros<<10 | clock)
}

// encodeTID writes v, whose top bit is zero, as a TID.
func encodeTID(v uint64) string {
	var b [13]byte
	for i := len(b) - 1; i >= 0; i-- {
		b[i] = tidAlphabet[v&31]
		v >>= 5
	}
	return string(b[:])
}

// validTID reports whether s has a TID's syntax: 13 characters of
// base32-sortable, the first at most "j" (the top bit is zero).
func validTID(s string) bool {
	if len(s) != 13 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '2' && c <= '7' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	return s[0] <= 'j'
}
