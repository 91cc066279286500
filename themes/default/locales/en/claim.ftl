## claim.html
claim-title = Claim your credits
claim-eligible = Your email address lets you join { $hub }'s Wellbeing Hub. Claim your credits to book sessions with the hub's professionals.
claim-needs-code = { $hub }'s Wellbeing Hub is for its employees. If your HR team gave you an invite code, enter it here.
claim-code = Invite code
claim-button = Claim your credits
claim-error-code = That invite code is not valid for this hub. Check it with your HR team.
claim-error-not-listed = Your email address is not on this hub's list. Enter the invite code your HR team gave you.
