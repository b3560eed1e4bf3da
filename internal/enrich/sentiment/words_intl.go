package sentiment

// intlTable holds the most common care words in Spanish, French, German,
// Portuguese, Italian and Dutch: praise, complaints, and the care events
// that are complaints without a sentiment word, as in careTable (charged
// twice, wanting a refund, waiting for hours, an app that does not work).
// Accents are optional on both sides: the tables and the text are folded
// the same way (see normalise). A word shared by several languages
// ("problema", "pessimo", "funciona") or with English ("terrible",
// "horrible", "excellent", "super", "perfect", "impossible") is listed
// once, where it is first needed. Verbs such as "funciona" and "marche"
// are listed like "works" in englishTable: neutral, but negative when
// negated.
const intlTable = `
# Spanish.
2.0 gracias
2.4 muchas gracias
3.0 excelente
2.6 genial
1.6 bueno
1.6 buena
1.6 buen
2.8 estupendo
2.8 perfecto
2.8 perfecta
3.0 encanta
3.0 encanto
2.0 amable
2.0 amables
1.2 rapido
1.2 rapida
-2.0 malo
-2.0 mala
-2.0 mal
-3.0 pesimo
-3.0 pesima
-3.0 malisimo
-3.0 peor
-2.6 fatal
-2.5 verguenza
-2.8 asco
-1.8 roto
-1.8 rota
-1.5 cancelado
-1.5 cancelada
-1.4 retraso
-1.4 retrasado
-1.8 perdido
-1.8 perdida
-1.8 perdieron
-2.3 decepcionado
-2.3 decepcionada
-1.4 queja
-2.8 estafa
-1.4 lento
-2.0 sucio
-2.0 sucia
-2.6 nunca mas
-2.0 quiero un reembolso | cmp
-2.0 quiero mi dinero | cmp
-2.0 devuelvan el dinero | cmp
-2.0 devuelvan mi dinero | cmp
-2.0 devolvais el dinero | cmp
-2.0 devolvais mi dinero | cmp
-0.8 cobrado | cmp
-0.8 cobraron | cmp
-1.2 dos veces | cmp
-1.0 # veces | keep
-2.5 cobrado dos veces | cmp
-2.5 cobraron dos veces | cmp
-2.5 cobrado doble | cmp
-2.5 cobro duplicado | cmp
-2.5 cargo duplicado | cmp
-2.5 doble cobro | cmp
-0.7 esperando | cmp
-1.0 llevo horas | cmp
-1.0 llevo dias | cmp
-1.2 llevo semanas | cmp
-1.0 hace horas | keep
-1.0 hace dias | keep
-0.7 # horas | keep
-0.7 # dias | keep
-1.0 # semanas | keep
-1.2 # meses | keep
0 en # minutos
0 en # horas
0 en # dias
-1.0 segunda vez | cmp
-1.6 tercera vez | cmp
-1.0 otra vez | again cmp
0/-1.8 funciona
0/-1.8 funcionan
0/-1.6 llegado
0/-1.6 llego
0/-1.6 recibido
-1.3 problema
-1.5 problemas
-2.6 desastre
-2.8 indignante
-2.6 inaceptable
-2.3 decepcionante
-2.2 harto
-2.2 harta
-1.6 caido
-1.6 caida
1.3 resuelto
1.3 resuelta
1.3 solucionado
3.0 maravilloso
3.0 increible
2.5 enhorabuena
2.0 atento
2.0 atentos
2.1 eficaz
2.1 eficiente
-1.2 todavia no | neg cmp
-1.2 aun no | neg cmp
0 ningun | neg
0 ninguna | neg
0 ninguno | neg
0 nunca | neg
0 jamas | neg
-1.0 nadie | neg
-0.8 nada | neg
-0.5 sin | neg
0 muy | boost=0.29
0 tan | boost=0.25
0 pero | but

# French.
2.0 merci
2.5 merci beaucoup
2.8 parfait
2.8 parfaite
2.5 au top
1.4 bien
1.4 bon
1.4 bonne
2.5 bravo
2.8 formidable
2.0 sympa
1.2 rapide
2.2 ravi
2.2 ravie
-2.5 nul
-2.5 nulle
-2.2 mauvais
-2.2 mauvaise
-3.0 pire
-2.3 decu
-2.3 decue
-2.8 honteux
-2.4 honte
-2.8 inadmissible
-2.6 inacceptable
-2.8 scandaleux
-2.8 arnaque
-1.4 retard
-1.4 retarde
-1.5 annule
-1.5 annulee
-2.3 desagreable
-1.4 bruyant
-1.4 bruyante
-1.8 casse
-1.4 lent
-1.4 lente
-1.8 perdu
-2.8 catastrophique
-2.6 lamentable
-2.6 deplorable
-3.0 furieux
-3.0 furieuse
-2.2 enerve
-2.2 enervee
-2.2 marre | cmp
-2.5 voleurs
-1.5 impossible
-1.8 panne
-1.5 bloque
-1.5 bloquee
-1.3 probleme
-1.5 problemes
-1.0 souci
-1.2 soucis
-1.5 pas terrible | cmp
-2.0 n'importe quoi | cmp
-0.8 debite | cmp
-0.8 debitee | cmp
-0.8 preleve | cmp
-0.8 prelevee | cmp
-1.2 deux fois | cmp
-1.0 # fois | keep
-2.5 debite deux fois | cmp
-2.5 debitee deux fois | cmp
-2.5 preleve deux fois | cmp
-2.5 prelevee deux fois | cmp
-2.5 facture deux fois | cmp
-2.5 facturee deux fois | cmp
-2.0 veux etre rembourse | cmp
-2.0 veux etre remboursee | cmp
-2.0 veux un remboursement | cmp
-2.0 exige un remboursement | cmp
-2.0 veux mon argent | cmp
-2.0 remboursez-moi | cmp
-0.7 attends | cmp
-1.0 depuis des heures | keep
-1.0 depuis des jours | keep
-1.2 depuis des semaines | keep
-1.4 depuis des mois | keep
-0.8 depuis une semaine | keep
-0.7 # heures | keep
-0.7 # jours | keep
-1.0 # semaines | keep
-1.2 # mois | keep
0 en # minutes
0 en # heures
0 en # jours
0 dans # jours
-1.0 deuxieme fois | cmp
-1.6 troisieme fois | cmp
0/-1.8 marche
0/-1.8 marchent
0/-1.8 fonctionne
0/-1.8 fonctionnent
-1.8 marche plus | cmp
-1.8 marchent plus | cmp
-1.8 fonctionne plus | cmp
-1.8 fonctionnent plus | cmp
0/-1.6 arrive
0/-1.6 arrivee
0/-1.6 recu
0/-1.6 recue
2.6 impeccable
2.1 efficace
2.1 satisfait
2.1 satisfaite
2.0 contente
1.9 recommande
3.0 adore
2.5 aime
1.3 resolu
1.3 resolue
1.4 tout est regle
1.4 c'est regle
2.0 gentil
2.0 gentille
2.0 aimable
# Negation: "ne" and its second halves (see pairNe); "personne ne" is
# "nobody", "rien ne" "nothing".
0 ne | ne
0 n' | ne
0 n'hesitez pas
0 n'hesite pas
-1.4 toujours pas | neg cmp ne-end
-2.0 toujours rien | cmp
0 pas | post ne-end
0 plus | ne-end
-2.6 plus jamais
0 jamais | neg ne-end
-0.8 rien | neg ne-end
0 personne | ne-end
0 aucun | neg ne-end
0 aucune | neg ne-end
0 guere | ne-end
-1.0 personne ne | neg
-1.0 personne n' | neg
-0.8 rien ne | neg
-0.8 rien n' | neg
-0.5 sans | neg
-0.5 sans aucun | neg
-0.5 sans aucune | neg
0 tres | boost=0.29
0 vraiment | boost=0.29
0 trop | boost=0.25
0 mais | but

# German.
2.0 danke
2.5 vielen dank
1.8 dank
2.5 prima
2.4 klasse
1.6 gut
2.8 perfekt
3.0 hervorragend
2.0 freundlich
2.0 freundliche
1.2 schnell
1.2 schnelle
2.2 hilfsbereit
2.2 zufrieden
-2.3 schlecht
-2.3 schlechte
-2.3 schlechter
-2.3 schlimm
-2.8 furchtbar
-2.8 schrecklich
-2.8 katastrophe
-2.8 katastrophal
-2.3 enttauscht
-2.8 unverschamt
-2.8 frechheit
-2.0 argerlich
-1.8 kaputt
-1.8 beschadigt
-1.4 verspatung
-1.4 verspatet
-1.4 storniert
-1.5 ausgefallen
-2.8 furchtbare
-2.8 furchtbarer
-2.8 furchtbaren
-2.8 furchtbares
-2.8 schreckliche
-2.8 schrecklicher
-2.8 schrecklichen
-2.8 schreckliches
-2.8 katastrophale
-2.8 katastrophaler
-2.8 katastrophalen
-2.3 schlechten
-2.3 schlechtes
-2.3 mies
-2.3 miese
-2.3 mieser
-2.3 enttauschend
-2.8 abzocke
-2.8 betrug
-1.8 storung
-1.8 ausfall
-1.8 defekt
-0.8 abgebucht | cmp
-1.2 zweimal | cmp
-1.0 # mal | keep
-2.5 doppelt abgebucht | cmp
-2.5 zweimal abgebucht | cmp
-2.5 doppelt berechnet | cmp
-2.5 zweimal berechnet | cmp
-1.8 geld zuruck | cmp
-0.7 warte | cmp
-1.0 seit stunden | keep
-1.0 seit tagen | keep
-1.2 seit wochen | keep
-1.4 seit monaten | keep
-0.5 # minuten | keep
-0.7 # stunden | keep
-0.7 # tagen | keep
-0.7 # tage | keep
-1.0 # wochen | keep
-1.2 # monaten | keep
0 in # minuten
0 in # stunden
0 in # tagen
-1.0 zweite mal | cmp
-1.6 dritte mal | cmp
-1.5 zu spat
0/-1.8 funktioniert
0/-1.8 klappt
0/-1.6 angekommen
0/-1.6 erhalten
2.5 toll
2.5 tolle
2.5 toller
2.5 tollen
2.5 tolles
1.6 gute
1.6 guter
1.6 gutes
3.0 hervorragende
3.0 hervorragender
3.0 hervorragenden
2.5 spitze
2.5 bestens
2.3 hilfreich
3.0 fantastisch
1.3 gelost
2.0 weiter so
-0.8 weg
0 nicht | post
0 nicht mehr | post
-1.2 immer noch nicht | neg cmp
-1.4 immer noch kein | neg cmp
-1.4 immer noch keine | neg cmp
-1.4 immer noch keinen | neg cmp
0 kein | neg
0 keine | neg
0 keinen | neg
0 keiner | neg
0 nie | neg
-1.0 niemand | neg
-0.8 nichts | neg
-0.5 ohne | neg
0 sehr | boost=0.29
0 wirklich | boost=0.29
0 ganz | boost=0.25
0 aber | but

# Portuguese.
2.0 obrigado
2.0 obrigada
1.6 valeu
2.9 otimo
2.9 otima
1.5 bom
1.5 boa
2.9 adorei
2.9 amei
2.8 perfeito
1.5 rapidinho
-3.0 pessimo
-3.0 pessima
-3.0 horrivel
-2.3 ruim
-2.6 lixo
-1.4 errado
-1.4 errada
-1.4 atrasado
-1.4 atraso
-1.2 demora
-1.8 quebrado
-0.9 frio
-2.4 vergonha
-2.4 absurdo
-2.2 descaso
-2.4 palhacada
-1.8 fora do ar
-1.4 travando
-0.8 cobrada | cmp
-0.8 cobraram | cmp
-1.2 duas vezes | cmp
-1.0 # vezes | keep
-2.5 cobrado duas vezes | cmp
-2.5 cobrada duas vezes | cmp
-2.5 cobraram duas vezes | cmp
-2.5 cobrado em dobro | cmp
-2.5 cobranca duplicada | cmp
-1.8 dinheiro de volta | cmp
-2.0 quero um reembolso | cmp
-2.0 quero o reembolso | cmp
-2.0 quero meu reembolso | cmp
-1.0 ha horas | keep
-1.0 ha dias | keep
-1.2 ha semanas | keep
-1.4 ha meses | keep
0 em # minutos
0 em # horas
0 em # dias
-1.6 terceira vez | cmp
0/-1.6 chegou
0/-1.6 recebi
0/-1.6 recebido
2.5 parabens
3.0 maravilhoso
3.0 incrivel
1.3 resolvido
1.3 resolvida
2.0 atencioso
2.0 atenciosa
3.0 adoro
-1.2 ainda nao | neg cmp
0 nem | neg
0 nenhum | neg
0 nenhuma | neg
0 nao | neg
-1.0 ninguem | neg
-0.5 sem | neg
0 muito | boost=0.29
0 tao | boost=0.25
0 mas | but

# Italian; "pessimo", "pessima", "problema", "eficiente" and "adoro" are
# above, and "pero" is Spanish "pero" too.
2.0 grazie
2.5 grazie mille
2.9 ottimo
2.9 ottima
3.0 eccellente
2.8 perfetto
2.8 perfetta
2.0 gentile
2.0 gentili
2.6 gentilissimo
2.6 gentilissima
2.6 gentilissimi
1.2 veloce
1.2 veloci
2.1 soddisfatto
2.1 soddisfatta
2.0 contento
2.0 contenta
2.5 complimenti
2.0 piace
2.5 bravi
3.0 fantastico
3.0 fantastica
1.3 risolto
1.3 risolta
-3.0 orribile
-2.8 terribile
-2.8 schifo
-2.4 vergogna
-2.8 vergognoso
-2.8 scandaloso
-2.8 scandalosa
-2.6 inaccettabile
-2.3 deluso
-2.3 delusa
-2.8 truffa
-2.5 ladri
-1.8 rotto
-1.8 rotta
-1.8 guasto
-1.4 ritardo
-1.5 cancellato
-2.0 disservizio
-1.5 problemi
-0.8 addebitato | cmp
-1.2 due volte | cmp
-1.0 # volte | keep
-2.5 addebitato due volte | cmp
-2.5 addebito doppio | cmp
-2.0 voglio un rimborso | cmp
-2.0 voglio il rimborso | cmp
-2.0 rivoglio i miei soldi | cmp
-0.7 aspetto | cmp
-1.0 da ore | keep
-1.0 da giorni | keep
-1.2 da settimane | keep
-1.4 da mesi | keep
-0.7 # ore | keep
-0.7 # giorni | keep
-1.0 # settimane | keep
-1.2 # mesi | keep
0 in # minuti
0 in # ore
0 in # giorni
-1.0 seconda volta | cmp
-1.6 terza volta | cmp
-2.0 ancora niente | cmp
-1.4 ancora nessuna | neg cmp
-1.4 ancora nessun | neg cmp
0/-1.8 funziona
0/-1.8 funzionano
0/-1.6 arrivato
0/-1.6 arrivata
0/-1.6 ricevuto
-2.6 mai piu
0 non | neg
-1.0 nessuno | neg
0 nessun | neg
0 nessuna | neg
-0.8 niente | neg
-0.8 nulla | neg
-0.5 senza | neg
0 molto | boost=0.29
0 davvero | boost=0.29
0 troppo | boost=0.25

# Dutch; "niemand" is under German.
2.0 bedankt
2.0 dank je
2.0 dank u
2.0 dankjewel
2.0 dankuwel
1.2 top
1.5 goed
2.0 fijn
2.0 fijne
2.3 lekker
2.8 geweldig
1.2 snel
2.0 vriendelijk
-2.3 slecht
-2.3 slechte
-2.8 waardeloos
-2.6 belachelijk
-2.3 teleurgesteld
-1.4 vertraging
-1.8 kapot
-2.6 klote
-2.8 waardeloze
-2.8 schandalig
-3.0 slechtste
-1.8 storing
-2.5 oplichters
-0.8 afgeschreven | cmp
-1.2 twee keer | cmp
-1.0 # keer | keep
-2.5 twee keer afgeschreven | cmp
-2.5 dubbel afgeschreven | cmp
-2.5 dubbel betaald | cmp
-1.8 geld terug | cmp
-0.7 wacht | cmp
-1.0 al uren | keep
-1.0 al dagen | keep
-1.2 al weken | keep
-1.4 al maanden | keep
-0.7 # uur | keep
-0.7 # dagen | keep
-1.0 # weken | keep
-1.2 # maanden | keep
0 binnen # minuten
-1.0 tweede keer | cmp
-1.6 derde keer | cmp
0/-1.8 werkt
0/-1.6 aangekomen
0/-1.6 ontvangen
3.0 uitstekend
3.0 uitstekende
2.0 vriendelijke
2.2 behulpzaam
2.2 behulpzame
2.2 tevreden
1.5/-1.5 geholpen
1.3 opgelost
0 niet | post
0 niet meer | post
-1.2 nog steeds niet | neg cmp
-1.4 nog steeds geen | neg cmp
-2.0 nog steeds niets | cmp
0 geen | neg
0 nooit | neg
-0.8 niets | neg
-0.5 zonder | neg
0 heel | boost=0.29
0 erg | boost=0.29
0 echt | boost=0.25
0 zo | boost=0.25
0 maar | but
`
