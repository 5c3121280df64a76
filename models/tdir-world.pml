/*
 * SPDX-License-Identifier: GPL-2.0
 *
 * The world around the ICH_HCR_EL2.TDIR protocol, shared by tdir-old.pml
 * and tdir-new.pml (docs/tdir-model.md): NS SPIs with their list registers
 * (LRs), the guest's ack / EOI / DIR, the fold and prune at exit.  The
 * processes (vCPUs, injectors, end-state check) are in tdir-procs.pml.
 *
 * A protocol file includes this file, then defines
 *   protocol globals, and the inlines
 *   handle_requests(me)   check_vcpu_requests(), IRQs on, preemptible
 *   flush(me)             vgic_flush_lr_state(), IRQs off, under ap_list_lock
 *                         (all SPIs, loop variable s)
 *   configure_tdir(me)    ICH_HCR_EL2.TDIR at entry, after IN_GUEST_MODE
 *   exit_tdir(me)         what kvm_vgic_sync_hwstate() does for TDIR first
 *   REQ_PENDING(me)       kvm_request_pending() (an expression)
 *   inject(s, t)          vgic_queue_irq_unlock() of SPI s routed to vCPU t,
 *                         and what follows it
 *   migrated(me, s, t)    what vgic_prune_ap_list() does after moving SPI s
 *   count_dec()           the unlink's decrement of the in-flight count
 *   drain(me)             a full barrier on CPU me (its store buffers)
 *   enter_mode(me)        smp_store_mb(vcpu->mode, IN_GUEST_MODE)
 *   start_membus()        run the store-buffer process, if any
 * and then includes tdir-procs.pml.
 *
 * Bounds (all -D overridable): NV vCPUs, NS SPIs, ROUNDS injections of
 * each SPI, RETARGETS guest writes of a route while the SPI is in flight,
 * SPONT spontaneous guest exits and FLIPS EOImode flips (in all);
 * FIXED_ROUTE routes SPI s to vCPU s % NV instead of any vCPU.
 */

#ifndef NV
#define NV		2
#endif
#ifndef NS
#define NS		1
#endif
#ifndef ROUNDS
#define ROUNDS		2
#endif
#ifndef RETARGETS
#define RETARGETS	1
#endif
#ifndef SPONT
#define SPONT		1
#endif
#ifndef FLIPS
#define FLIPS		1
#endif

#if NS > 2
#error "NS > 2: extend GUEST_SPI in tdir-procs.pml"
#endif

#define NONE		255
/* vcpu->mode */
#define OUTSIDE		0
#define IN_GUEST	1
#define EXITING		2

byte mode[NV];		/* vcpu->mode, as the other CPUs see it */
bool tdir[NV];		/* ICH_HCR_EL2.TDIR, fixed from entry to exit */
bool eoimode[NV];	/* the guest's ICC_CTLR_EL1.EOImode (= the VMCR copy outside the guest) */
bool ipi[NV];		/* an IPI is pending on the CPU of vCPU v (taken when IRQs are on) */
bool req_kick[NV];	/* KVM_REQ_IRQ_PENDING (and any other plain request bit) */
byte spont = SPONT;	/* spontaneous guest exits left (all vCPUs) */
byte flips = FLIPS;	/* guest EOImode flips left (all vCPUs) */

/* The SPIs: the vgic_irq state, and its LR copy while an LR holds it */
byte spi_owner[NS] = NONE;	/* whose ap_list it is on (NONE: not tracked) */
bool spi_pending[NS], spi_active[NS];
byte spi_lr[NS] = NONE;	/* whose LR holds it */
bool lr_pending[NS], lr_active[NS];
bool dir_due[NS];	/* the guest acked it with EOImode=1 and owes a DIR */
byte retargets = RETARGETS;

byte count;		/* in-flight SPIs: dist->active_spis (the count half) */

/* ghosts */
byte acks[NS];		/* guest acknowledgements */
byte deact[NS];		/* deactivations the guest performed (EOI in EOImode=0, DIR) */
byte notifies[NS];	/* resampler notifications (kvm_notify_acked_irq) */
byte inj_done;		/* injectors that have injected all their rounds */
bool lost_deactivation;	/* an untrapped DIR of an SPI not in the DIR-ing vCPU's LR */

/* SPI s is neither pending nor active nor in an LR, and no DIR is owed */
#define SPI_IDLE(s)	(!spi_pending[s] && !spi_active[s] && spi_lr[s] == NONE && !dir_due[s])

inline notify(s)
{
	notifies[s]++;
	assert(notifies[s] <= deact[s])	/* property 2: never twice for one deactivation */
}

/* kvm_make_request(KVM_REQ_IRQ_PENDING) + kvm_vcpu_kick(): IPI if in the guest */
inline kick(t)
{
	req_kick[t] = 1;
	if
	:: mode[t] == IN_GUEST -> mode[t] = EXITING; ipi[t] = 1
	:: else
	fi
}

/* vgic_v3_fold_lr_state(): the LRs back into the vgic_irqs; a level SPI's
 * LR carries ICH_LR_EOI, so an LR the guest deactivated notifies the
 * resampler */
inline fold(me)
{
	for (s : 0 .. NS - 1) {
		if
		:: spi_lr[s] == me ->
			if
			:: !lr_pending[s] && !lr_active[s] -> notify(s)
			:: else
			fi;
			spi_pending[s] = lr_pending[s];
			spi_active[s] = lr_active[s];
			spi_lr[s] = NONE;
			lr_pending[s] = 0;
			lr_active[s] = 0
		:: else
		fi
	}
	s = 0
}

/* vgic_prune_ap_list(): unlink what is neither pending nor active; move a
 * pending, inactive SPI whose route changed (vgic_target_oracle) */
inline prune(me)
{
	for (s : 0 .. NS - 1) {
		if
		:: spi_owner[s] == me && spi_lr[s] == NONE ->
			if
			:: !spi_pending[s] && !spi_active[s] ->
				spi_owner[s] = NONE;
				count_dec()
			:: spi_pending[s] && !spi_active[s] && retargets > 0 ->
				/* the guest wrote IROUTER (trapped; KVM changed the
				 * route) since: vgic_target_oracle() is another vCPU */
				retargets--;
				select (tgt : 0 .. NV - 1);
				if
				:: tgt != me ->
					spi_owner[s] = tgt;
					migrated(me, s, tgt)
				:: else
				fi;
				tgt = 0
			:: else
			fi
		:: else
		fi
	}
	s = 0
}

/* The guest flips ICC_CTLR_EL1.EOImode.  Only its EOIs and the next entry
 * (through the VMCR saved at exit) see the bit, so a flip is modelled at
 * those two points only: at an ack and at an exit. */
inline guest_flip(me)
{
	if
	:: flips > 0 -> flips--; eoimode[me] = !eoimode[me]
	:: true
	fi
}

/* The guest acknowledges SPI s from its LR; with EOImode=0 its EOI also
 * deactivates it, with EOImode=1 the EOI only drops the priority and some
 * vCPU of the guest (this one or another) owes a DIR. */
inline guest_ack(me, s)
{
	guest_flip(me);
	lr_pending[s] = 0;
	lr_active[s] = 1;
	acks[s]++;
	if
	:: eoimode[me] -> dir_due[s] = 1
	:: else -> lr_active[s] = 0; deact[s]++
	fi
}

/* The guest writes ICC_DIR_EL1 for SPI s.  Trapped (TDIR=1): KVM
 * deactivates it wherever it is (in an LR: the owner's fold notifies; else
 * at once).  Untrapped: the hardware deactivates it only if it is in this
 * vCPU's own LR; otherwise the write is dropped and the SPI stays active
 * for good. */
inline guest_dir(me, s)
{
	dir_due[s] = 0;
	deact[s]++;
	if
	:: tdir[me] ->
		if
		:: spi_lr[s] != NONE -> lr_active[s] = 0
		:: else -> spi_active[s] = 0; notify(s)
		fi
	:: else ->
		if
		:: spi_lr[s] == me -> lr_active[s] = 0
		:: else -> lost_deactivation = 1
		fi
	fi;
	assert(!lost_deactivation)	/* property 1 */
}
