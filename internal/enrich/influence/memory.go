package influence

import (
	"math"
	"time"
)

// memory is SEISMIC's memory curve (Zhao et al., KDD 2015): the share of a
// post's lifetime engagement that has usually arrived by a given age.
var memory = [...]struct {
	age   time.Duration
	share float64
}{
	{5 * time.Minute, 0.188},
	{20 * time.Minute, 0.411},
	{time.Hour, 0.543},
	{6 * time.Hour, 0.698},
	{24 * time.Hour, 0.781},
}

// tailExponent continues the curve past 24 hours. Between 6 and 24 hours the
// share still to come falls from 0.302 to 0.219, a power law in age with
// this exponent; following it, the share reaches 0.86 at a week and 0.90 at
// a month, approaching 1 without reaching it, as a post keeps gathering a
// trickle of engagement.
var tailExponent = math.Log((1-0.698)/(1-0.781)) / math.Log(4)

// share returns the share of its lifetime engagement a post has usually
// gathered at age: 0 at 0, rising in a straight line to the first point,
// then between points linearly in the logarithm of age, as the curve is
// close to a power law.
func share(age time.Duration) float64 {
	first, last := memory[0], memory[len(memory)-1]
	switch {
	case age <= 0:
		return 0
	case age <= first.age:
		return first.share * float64(age) / float64(first.age)
	case age >= last.age:
		return 1 - (1-last.share)*math.Pow(float64(age)/float64(last.age), -tailExponent)
	}
	for i := 1; i < len(memory); i++ {
		lo, hi := memory[i-1], memory[i]
		if age <= hi.age {
			f := math.Log(float64(age)/float64(lo.age)) / math.Log(float64(hi.age)/float64(lo.age))
			return lo.share + f*(hi.share-lo.share)
		}
	}
	return last.share // not reached
}
