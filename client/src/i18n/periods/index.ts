// Imported by the comment-period screen: adds its strings to the catalogues when its chunk loads.
import { addMessages } from '../translate.ts';
import { periodsAr } from './ar.ts';
import { periodsEn } from './en.ts';
import { periodsFr } from './fr.ts';

addMessages({ en: periodsEn, fr: periodsFr, ar: periodsAr });
