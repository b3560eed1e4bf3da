// Package influence scores the reach of a message: R, the reach component of
// the priority score (S = 40·W + 25·U + 15·R + 10·V + 10·H), with the reasons
// a card shows.
//
// Follower count is a poor proxy for influence (Cha et al., ICWSM 2010), and
// answering large accounts first is the two-tier service Parley avoids
// (Gunarathne, Rui & Seidmann, MIS Quarterly 2018). What predicts that a
// post will spread is how fast it gathers engagement early (Cheng et al.,
// WWW 2014; Zhao et al., KDD 2015). So the author's audience counts for at
// most half, and the post's own velocity for all:
//
//	Audience = min(1, log10(1 + 0.1·followers) / 5)
//	Velocity = min(1, log10(1 + Ê) / 4),  Ê = engagement / max(Φ(age), 0.05)
//	Reach    = max(0.5·Audience, Velocity) · (1 − bot score) · (0.5 if the account is under 30 days old)
//
// A private or direct message has no reach: Reach, Audience and Velocity are
// 0 whatever the followers.
//
// Φ is SEISMIC's memory curve, the share of a post's lifetime engagement
// that has usually arrived by its age: 0.188 at 5 minutes, 0.411 at 20, 0.543
// at an hour, 0.698 at 6 hours, 0.781 at 24. Between 0 and 5 minutes it
// rises in a straight line from 0; between points it is interpolated in the
// logarithm of age, as the curve is close to a power law; past 24 hours the
// share still to come keeps shrinking by the power law of the 6–24 hour step
// (0.86 at a week, 0.90 at a month), so it approaches 1 but never reaches it
// and old engagement is never counted for more than it is. The floor of 0.05
// keeps a few reactions in the first seconds from looking like a storm: ten
// reactions at once read as 200 expected. When the post's time is unknown,
// Φ is taken as 1: the engagement so far is all that is claimed.
//
// Damping multiplies Reach, and the reasons say when it applies. A bot score of 0.9
// leaves a tenth of the reach: the million-follower account that is likely
// automated scores 0.05, not 0.5. A very new account is halved, because
// throwaway and bot accounts are mostly days old; Verified and VIP do not
// change Reach (verification does not predict spread, and VIP is the
// workspace's own list, for routing to apply openly).
//
// Score.Reason is the one reason a card shows for reach: the engagement
// ("1.4k reactions in 2 h") when the velocity term won the max, the
// followers when half the audience did. Naming the followers whatever drove
// the score would read as the two-tier service the model avoids.
//
// Counts come from the platforms and are not trusted: negative counts are 0,
// bot scores are clamped to 0…1 (NaN is unknown), and a post time in the
// future is age 0. Reach never decreases when followers or engagement grow.
package influence
