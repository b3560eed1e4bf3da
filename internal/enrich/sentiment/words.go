package sentiment

// The English lexicon, written for Parley. Valences run from about -4 to +4
// and were set by hand for how the words read in posts to a brand; the
// format is described at build. "#" in a phrase stands for any number,
// written in digits or in words.

// englishTable holds everyday sentiment words.
const englishTable = `
# Praise.
3.2 love
3.0 loved
2.8 loving
2.8 loves
0 like
1.5 i like
1.5 we like
1.8 really like
1.5 like it
-1.8 don't like
-1.8 dont like
-1.8 do not like
-1.8 didn't like
3.1 great
3.2 excellent
3.1 amazing
3.1 awesome
3.3 fantastic
3.0 brilliant
3.0 wonderful
2.9 perfect
2.8 perfectly
2.7 lovely
1.9 good
2.0 nice
1.5 better
3.2 best
2.7 happy
2.6 happier
2.2 glad
2.3 pleased
2.7 delighted
2.6 thrilled
2.4 excited
2.1 satisfied
2.4 impressed
2.4 impressive
2.3 helpful
2.1 friendly
1.8 kind
1.8 polite
2.0 courteous
2.1 caring
2.0 attentive
1.8 patient
1.9 professional
2.1 efficient
1.7 prompt
1.5 promptly
1.4 apologetic
1.8 generous
2.3 grateful
2.3 thankful
1.9 thanks
1.9 thank
1.9 thankyou
1.8 thx
1.9 thank you
2.6 thank you so much
2.6 thank you very much
2.6 thanks so much
2.2 thanks a lot
2.3 many thanks
0.5 thanks in advance
0.5 thank you in advance
0.8 unlimited
1.8 tysm
1.5 cheers
2.1 appreciate
2.1 appreciated
2.2 appreciation
2.4 legend
2.2 hero
2.4 lifesaver
2.0 angel
2.0 gem
1.5 star
1.2 fast
1.1 faster
1.1 quick
1.0 quickly
0.9 quicker
1.4 easy
1.3 easily
1.9 easiest
1.7 smooth
1.7 smoothly
1.7 comfy
1.7 comfortable
1.3 clean
2.3 spotless
2.9 delicious
2.4 tasty
2.4 yummy
2.6 beautiful
2.8 gorgeous
2.8 stunning
3.0 incredible
3.1 outstanding
3.1 superb
2.8 flawless
2.4 seamless
2.0 painless
2.4 fab
2.6 fabulous
2.8 terrific
1.6 sweet
2.7 awesomeness
1.7 reliable
1.9 recommend
2.0 recommended
2.2 enjoy
2.2 enjoyed
2.2 enjoying
1.5 fun
1.4 worth
1.1 safe
1.2 cool
0.8 fine
1.0 wow
0.4 finally
2.3 bliss
2.0 congrats
2.2 congratulations
2.2 yay
2.3 woohoo
2.0 kudos
2.0 shoutout
1.6 props
2.3 legendary
1.3 solved
1.3/-1.7 sorted
1.1/-2.0 fixed
1.5/-2.0 resolved
0/-1.3 help
1.5/-1.5 helped
1.2/-1.0 saved
0.4/-1.6 arrived
0.5/-1.8 working
0.5/-1.8 works
0/-1.8 work
0/-1.6 worked

# Complaint.
-3.2 worst
-2.3 worse
-3.0 terrible
-3.0 horrible
-3.0 awful
-3.3 atrocious
-3.3 abysmal
-3.0 appalling
-3.0 dreadful
-2.7 horrendous
-2.9 disgusting
-2.9 disgusted
-3.0 disgrace
-3.0 disgraceful
-2.7 shocking
-2.6 pathetic
-2.5 ridiculous
-2.5 laughable
-2.6 unacceptable
-2.5 useless
-2.4 hopeless
-2.5 incompetent
-2.4 unprofessional
-2.5 rude
-2.3 disrespectful
-2.2 disappointed
-2.3 disappointing
-2.1 disappointment
-2.0 frustrating
-2.0 frustrated
-2.0 annoying
-1.9 annoyed
-2.5 angry
-3.0 furious
-3.0 fuming
-3.0 livid
-2.4 upset
-2.3 unhappy
-1.9 sad
-2.0 bad
-2.0 poor
-1.8 poorly
-3.1 hate
-3.1 hated
-2.8 hates
-3.0 nightmare
-2.4 hell
-2.3 mess
-2.0 chaos
-2.0 chaotic
-2.5 waste
-2.5 wasted
-2.3 disaster
-2.8 disastrous
-2.8 dire
-2.2 insulting
-2.0 insult
-1.6 shame
-2.6 shameful
-1.9 ugly
-1.5 confusing
-1.2 confused
-1.3 expensive
-2.0 overpriced
-1.8 unfair
-2.0 misleading
-2.4 unbearable
-1.4 insane
-2.0 unreliable
-1.4 incorrect
-1.8 refused
-1.4 refuse
-1.4 inconvenience
-1.6 hassle
-1.5 struggling
-1.9 unresponsive
-2.0 fraudulent
-2.0 stressful
-1.8 stressed
-2.0 worried
-1.5 worry
-1.6 scared
-2.0 afraid
-2.3 unsafe
-2.3 dangerous
-1.4 tired
-0.3 sorry
-0.5 unfortunately
`

// slangTable holds the abbreviations and slang of social posts.
const slangTable = `
2.0 fire
2.4 slaps
1.6 lit
1.4 gg
2.2 banger
2.3 bussin
2.4 goated
2.0 dope
2.0 yum
0.6 haha
0.6 hahaha
0.6 hehe
0 lol
0 lmao
0 lmfao
0 rofl
0 tbh
0 imo
0 ngl
0 omg
-0.3 idk
-2.5 wtf
-2.0 wth
-1.5 tf
-2.4 ffs
-2.4 fml
-1.5 smh
-1.2 meh
-1.3 ugh
-1.0 sigh
-1.0 bruh
-1.5 yikes
-1.0 oof
-1.0 sus
-1.0 mid
-1.5 cringe
-1.5 ick
-2.6 sucks
-2.3 suck
-2.4 sucked
-2.5 trash
-2.5 garbage
-2.4 rubbish
-2.4 crap
-2.2 crappy
-2.5 shit
-2.5 shite
-2.3 shitty
-2.6 bs
-2.6 bullshit
-2.6 scam
-2.6 scammed
-2.4 scammers
-2.4 ripoff
-2.4 rip-off
-2.4 rip off
-1.6 joke
-2.0 what a joke
-2.0 lie
-2.0 lies
-2.3 lied
-2.4 liars
-2.4 liar
-2.2 lying
-1.0 typical
-0.8 classic
-2.6 dogshit
-2.3 clowns
`

// careTable holds what customers say about service: events that are bad
// news without a sentiment word, and phrases that make a neutral word
// positive or negative.
const careTable = `
# Things that broke, went missing or came late.
-2.0 broken
-2.0 broke
-2.0 faulty
-1.8 damaged
-1.5 scratched
-1.3 crushed
-1.4 soaked
-2.2 stranded
-1.4 stuck
-2.4 unplayable
-2.4 unusable
-2.4 inedible
-1.4 stale
-1.3 soggy
-1.0 raw
-0.9 cold
-1.0 lukewarm
-1.5 late
-0.3 later | keep
-1.5 delayed
-1.4 delay
-1.4 delays
-1.6 cancelled
-1.6 canceled
-1.2 cancellation fee
-1.9 outage
-1.9 outages
-1.6 power cut
-1.6 power cuts
-1.6 power out
-1.7 crash
-1.7 crashes
-1.7 crashing
-1.7 crashed
-1.3 bugs
-2.0 buggy
-1.5 glitch
-1.5 glitches
-2.0 glitchy
-1.5 lag
-1.8 laggy
-1.6 lagging
-1.4 slow
-2.3 slowest
-1.2 slower
-1.4 wrong
-1.5 missing
-2.0 lost
-1.5 missed
-1.4 dirty
-2.8 filthy
-2.4 gross
-1.8 smelly
-1.0 smelled
-1.2 smells
-2.2 stinks
-2.2 mouldy
-2.2 moldy
-1.5 noisy
-2.4 overcharged
-0.8 charged | cmp
-1.2 charged me | cmp
-2.5 double charged | cmp
-2.5 charged double | cmp
-1.2 twice | cmp
-2.5 charged twice | cmp
-2.5 charged me twice | cmp
-1.8 ate my card
-1.8 swallowed my card
-2.0 declined
-1.5 blocked
-1.4 frozen
-1.4 froze
-1.5 banned
-1.5 throttled
-1.5 buffering
-1.3 disconnects
-1.3 disconnected
-1.3 disconnecting
-1.0 dropped
-1.0 drops
-1.0 dropping
-1.0 cutting out
-1.8 overcrowded
-1.0 crowded
-2.0 ignored
-1.5 ignore
-1.6 unanswered
-1.3 problem
-1.5 problems
-1.0 issue
-1.2 issues
-1.3 error
-1.3 errors
-1.5 complaint
-1.5 complaints
-1.4 complain
-2.0 fail
-2.0 fails
-2.0 failed
-2.0 failing
-2.2 failure
-1.5 cheaters
-1.5 cheating
-1.5 hackers
-0.6 fees
-1.2 hidden fees
-1.5 price hike
-1.0 went up
-0.8 going up
-1.0 doubled | cmp
-1.5 hangs up
-1.8 hung up
-1.5 dodgy
-2.0 bed bugs
-1.6 hair in
-1.5 left in the rain
-2.2 fell apart
-2.0 falls apart
-2.2 let down
-2.2 let me down
-2.0 locked out
-1.2 logged out
-3.0 food poisoning
-2.5 stole
-2.5 stolen
-2.4 stealing
-2.0 took my money | cmp
-1.8 no show
-2.0 overbooked
-1.5 cut off
-1.0 by mistake
-1.2 mistake
-1.0 noise
-1.5 kept us up
-1.5 kept me up
-1.5 kept us awake
-1.5 kept me awake
-1.5 low pressure
-1.5 brown water
-1.5 discoloured water
-1.5 longest route
-0.6 ads
-1.0 too many
-0.8 too much
-1.0 mouse
-2.0 mice
-2.0 rats
-2.0 rat
-2.2 cockroach
-2.2 cockroaches
-2.2 roaches
-0.4 took | keep
-1.5 took ages | cmp
-1.8 took forever | cmp
-0.8 took a while | cmp
-1.0 forever | cmp

# Services that are down.
-1.8 app down
-2.0 stopped working | cmp
-2.0 stopped responding | cmp
-1.8 site down
-1.8 website down
-1.8 servers down
-1.8 network down
-1.8 is down
-1.8 are down
-1.6 was down
-2.0 still down
-2.0 down again | cmp
-1.2 went down

# Waiting, repeating, chasing.
-2.0 still waiting | cmp
-1.4 still no | neg cmp
-1.2 still not | neg cmp
-1.2 still haven't | neg cmp
-1.2 still hasn't | neg cmp
-1.2 still don't | neg cmp
-1.2 still doesn't | neg cmp
-1.2 still can't | neg cmp
-2.0 still nothing | cmp
-0.7 waiting | cmp
-0.8 waiting for | cmp
-1.0 waited | cmp
-1.8 long wait | cmp
-1.5 on hold | cmp
-1.0 second time | cmp
-1.6 third time | cmp
-1.8 fourth time | cmp
-2.0 fifth time | cmp
-1.6 #th time | cmp
-1.0 # times | keep
-1.2 many times | cmp
-1.2 multiple times | cmp
-1.2 several times | cmp
-1.0 again | again cmp
-0.5 keeps | cmp
-0.8 keep getting | cmp
-0.7 # hours | keep
-0.6 # hour | keep
-0.7 # hrs | keep
-0.7 # hr | keep
-0.7 # h | keep
-0.5 # minutes | keep
-0.5 # min | keep
-0.5 # mins | keep
-0.7 # days | keep
-1.0 # weeks | keep
-1.0 # wks | keep
-1.2 # months | keep
-0.6 an hour | keep
-0.8 a week | keep
-1.0 a month | keep
-1.5 for ages | keep
-1.0 for hours | keep
-1.0 for days | keep
-1.2 for weeks | keep
-1.4 for months | keep
# Speed is praise, not waiting: these consume the duration.
0 in # minutes
0 in # min
0 in # mins
0 in # hours
0 in # hour
0 in # days
0 in # day
0 within # hours
0 within # days
0 in an hour
0 in a day
0 in no time
1.5 in no time at all

# Chasing and leaving.
-1.3 where is my | cmp
-1.3 where's my | cmp
-1.3 where are my | cmp
-1.0 what's going on | cmp
-1.0 what is going on | cmp
-2.0 how hard is it | cmp
-1.5 how is this possible | cmp
-2.2 what am i paying for | cmp
-2.3 are you kidding | cmp
-2.3 kidding me | cmp
-2.0 want a refund | cmp
-2.0 want my money back | cmp
-2.3 demand a refund | cmp
-1.8 money back | cmp
-1.6 refund my | cmp
-0.8 please fix | cmp
-1.0 fix this | cmp
-1.5 fix your | cmp
-1.2 sort this out | cmp
-1.2 sort it out | cmp
-2.5 get your act together | cmp
-2.6 never again
-2.6 neveragain
-2.5 do not order | cmp
-2.5 don't order | cmp
-2.5 do not buy | cmp
-2.5 don't buy | cmp
-2.5 don't fly | cmp
-2.5 do not fly | cmp
-2.5 don't book | cmp
-2.5 do not book | cmp
-2.5 stay away | cmp
-2.0 avoid | cmp
-2.0 i'm done | cmp
-2.0 im done | cmp
-2.0 done with | cmp
-2.2 closing my account | cmp
-1.5 close my account
-1.5 switching banks | cmp
-1.5 switching providers | cmp
-1.2 cancelling my | cmp
-2.2 fed up | cmp
-2.2 sick of | cmp
-2.2 tired of | cmp
-3.0 thanks for nothing | cmp
-1.5 no thanks | cmp
-0.8 not even | neg cmp
-0.5 without | neg

# Praise of service.
2.3 well done
2.8 made my day
2.5 top notch
2.5 top-notch
2.3 above and beyond
2.0 can't wait
2.0 cant wait
3.0 couldn't be happier
3.0 couldn't be better
1.5 can't complain
2.6 can't thank you enough
2.5 you rock
2.5 guys rock
1.2 on time
1.4 all sorted
1.2 all good
2.0 means a lot
2.5 five stars
2.5 5 stars
2.5 5 star
-2.5 one star
-2.5 1 star
-2.8 0 stars
-2.8 zero stars
-1.5 2 stars
-1.5 two stars
0 # star
0 # stars
2.0 keep up the good work

# Sarcasm: praise that means the opposite.
-2.0 oh great | sarcasm
-2.0 oh brilliant | sarcasm
-2.0 oh perfect | sarcasm
-2.0 oh wonderful | sarcasm
-2.0 just great | sarcasm
-2.0 just brilliant | sarcasm
-2.0 just perfect | sarcasm
-2.0 just wonderful | sarcasm
-2.0 love that for me | sarcasm
-2.0 love that for us | sarcasm
-1.5 what a surprise | sarcasm
-1.5 shocker | sarcasm
0 another | another
0 losing | mishap
0 ruining | mishap
0 cancelling | mishap
0 canceling | mishap
0 wasting | mishap
-2.0 ignoring | mishap
0 delaying | mishap
0 breaking | mishap
-2.4 overcharging | mishap
0 ghosting | mishap
0 stranding | mishap
0 charging | mishap
`

// grammarTable holds negators, intensifiers, diminishers and contrast
// words. Negators with a valence of their own ("nobody", "nothing") count
// even when nothing follows them: "Nothing." is a complete complaint.
const grammarTable = `
0 not | neg
0 no | neg
0 never | neg
0 cannot | neg
0 can't | neg
0 cant | neg
0 don't | neg
0 dont | neg
0 doesn't | neg
0 doesnt | neg
0 didn't | neg
0 didnt | neg
0 isn't | neg
0 isnt | neg
0 wasn't | neg
0 wasnt | neg
0 aren't | neg
0 arent | neg
0 weren't | neg
0 werent | neg
0 won't | neg
0 wouldn't | neg
0 wouldnt | neg
0 couldn't | neg
0 couldnt | neg
0 shouldn't | neg
0 shouldnt | neg
0 haven't | neg
0 havent | neg
0 hasn't | neg
0 hasnt | neg
0 hadn't | neg
0 ain't | neg
0 aint | neg
0 neither | neg
0 nor | neg
0 hardly | neg
0 barely | neg
0 used to | neg
-1.0 nobody | neg
-1.0 noone | neg
-1.0 no one | neg
-0.8 nothing | neg mishap
-1.0 nowhere | neg
-0.5 none | neg

# Intensifiers: boost=X scales the next sentiment word by 1+X.
0 very | boost=0.29
0 so | boost=0.29
0 really | boost=0.29
0 extremely | boost=0.35
0 absolutely | boost=0.35
0 totally | boost=0.3
0 completely | boost=0.3
0 utterly | boost=0.35
2.0 super | boost=0.3
0 incredibly | boost=0.35
0 ridiculously | boost=0.35
0 insanely | boost=0.35
0 highly | boost=0.3
0 such | boost=0.25
0 too | boost=0.2
0 most | boost=0.25
0 truly | boost=0.3
0 seriously | boost=0.25
0 deeply | boost=0.3
0 hugely | boost=0.3
0 massively | boost=0.3
0 exceptionally | boost=0.35
0 genuinely | boost=0.25
0 literally | boost=0.2
0 way | boost=0.25
0 pretty | boost=0.15
0 quite | boost=0.1
0 fucking | boost=0.4
0 effing | boost=0.35
0 freaking | boost=0.35
0 bloody | boost=0.35
0 damn | boost=0.3
0 af | boost=0.3
0 even | boost=0.1
0 kinda | boost=-0.29
0 kind of | boost=-0.29
0 sort of | boost=-0.29
0 sorta | boost=-0.29
0 slightly | boost=-0.3
0 somewhat | boost=-0.25
0 a bit | boost=-0.25
0 a little | boost=-0.25
0 a tad | boost=-0.25
0 fairly | boost=-0.15
0 marginally | boost=-0.3
0 mildly | boost=-0.3
0 partly | boost=-0.2
0 almost | boost=-0.2
0 relatively | boost=-0.2

# What follows these outweighs what came before.
0 but | but
0 however | but
-0.6 why | cmp
`

// acronymTable lists upper-case words that are names, not shouting.
const acronymTable = `
ASAP ATM SMS USA UK EU USD EUR GBP CAD AUD PIN SIM FAQ ETA CEO NHS VAT PAC PUK
GPS USB HDMI IBAN BIC KYC PDF URL API DVD NYC BBC CNN UPS DHL TSA OTP RSVP AKA
FYI DIY UTC GMT BST EST PST CET SUV LTE ISP VPN POS MFA SSN IRS HMRC DVLA MOT
TV PC PS OK DM PM AM ID QR AC EV IT LOL OMG TBH WIFI NFC APR PPI ISA LTD LLC
INC PLC IOS PNR ESIM SKU RMA MMS CCTV HR HQ CVV SSL HTTP WWW UAE NZ JFK LAX LHR
CDG AMS MAD BCN LIS OPO DUB FCO MUC FRA ZRH BER GDPR HVAC EE BT
`
