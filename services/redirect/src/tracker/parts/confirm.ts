/**
 * Human confirmation: a landing page opened from a short link (the click id
 * is on its URL) confirms the click once the page was really seen. Only a page
 * opened with the parameter confirms; later pages of the visit do not.
 */
export const CONFIRM = `if(fresh)viewed(function(){send({type:"confirm",click_id:id})});
`;
