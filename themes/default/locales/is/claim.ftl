## claim.html
claim-title = Sæktu inneignina þína
claim-eligible = Netfangið þitt veitir þér aðgang að vellíðunarmiðstöð { $hub }. Sæktu inneignina þína til að bóka tíma hjá sérfræðingum miðstöðvarinnar.
claim-needs-code = Vellíðunarmiðstöð { $hub } er fyrir starfsfólk fyrirtækisins. Ef mannauðsteymið gaf þér boðskóða skaltu slá hann inn hér.
claim-code = Boðskóði
claim-button = Sækja inneignina
claim-error-code = Þessi boðskóði gildir ekki fyrir þessa miðstöð. Athugaðu hann hjá mannauðsteyminu.
claim-error-not-listed = Netfangið þitt er ekki á lista þessarar miðstöðvar. Sláðu inn boðskóðann sem mannauðsteymið gaf þér.
