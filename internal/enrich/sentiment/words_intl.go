package sentiment

// intlTable holds the most common care words in Spanish, French, German,
// Portuguese and Dutch. Accents are optional on both sides: the tables and
// the text are folded the same way (see normalise). Words shared with
// English ("terrible", "horrible", "excellent", "super", "perfect") are in
// englishTable once.
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
-1.8 perdu
-1.4 toujours pas | neg cmp
0 pas | post
0 jamais | neg
-0.8 rien | neg
-0.5 sans | neg
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
-0.8 weg
0 nicht | post
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
0 nao | neg
-1.0 ninguem | neg
-0.5 sem | neg
0 muito | boost=0.29
0 tao | boost=0.25
0 mas | but

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
0 niet | post
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
